"""Things, thing types and thing groups through boto3: every operation, its errors, and the
paginators of the list operations."""

from __future__ import annotations

import uuid

import pytest

from apiserver import ApiServer
from iotcerts import unique


@pytest.fixture
def iot(api: ApiServer):
    return api.client("iot")


def test_thing_lifecycle(iot) -> None:
    name = unique("thermo")
    created = iot.create_thing(thingName=name, attributePayload={"attributes": {"room": "7", "floor": "2"}})
    assert created["thingName"] == name
    assert created["thingArn"].startswith("arn:aws:iot:us-east-1:") and created["thingArn"].endswith(f":thing/{name}")
    uuid.UUID(created["thingId"])

    # Creating the same thing again is idempotent; with other attributes it conflicts.
    assert iot.create_thing(thingName=name, attributePayload={"attributes": {"room": "7", "floor": "2"}})["thingId"] == created["thingId"]
    with pytest.raises(iot.exceptions.ResourceAlreadyExistsException) as conflict:
        iot.create_thing(thingName=name, attributePayload={"attributes": {"room": "8"}})
    assert conflict.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert conflict.value.response["resourceId"] == created["thingId"]
    assert conflict.value.response["resourceArn"] == created["thingArn"]

    described = iot.describe_thing(thingName=name)
    assert described["defaultClientId"] == name
    assert described["attributes"] == {"room": "7", "floor": "2"}
    assert described["version"] == 1
    assert "thingTypeName" not in described

    iot.update_thing(thingName=name, attributePayload={"attributes": {"floor": "", "zone": "a"}, "merge": True},
                     expectedVersion=1)
    described = iot.describe_thing(thingName=name)
    assert described["attributes"] == {"room": "7", "zone": "a"}
    assert described["version"] == 2
    iot.update_thing(thingName=name, attributePayload={"attributes": {"only": "this"}})
    assert iot.describe_thing(thingName=name)["attributes"] == {"only": "this"}
    with pytest.raises(iot.exceptions.VersionConflictException):
        iot.update_thing(thingName=name, attributePayload={"attributes": {"x": "1"}}, expectedVersion=1)
    with pytest.raises(iot.exceptions.VersionConflictException):
        iot.delete_thing(thingName=name, expectedVersion=1)

    iot.delete_thing(thingName=name, expectedVersion=3)
    with pytest.raises(iot.exceptions.ResourceNotFoundException) as missing:
        iot.describe_thing(thingName=name)
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    iot.delete_thing(thingName=name)  # deleting what does not exist succeeds, as on AWS


def test_thing_errors(iot) -> None:
    with pytest.raises(iot.exceptions.InvalidRequestException) as invalid:
        iot.create_thing(thingName="bad name")
    assert "thingName" in invalid.value.response["Error"]["Message"]
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.create_thing(thingName=unique("t"), thingTypeName=unique("no-such-type"))
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.update_thing(thingName=unique("ghost"), attributePayload={"attributes": {"a": "1"}})
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.create_thing(thingName=unique("t"), attributePayload={"attributes": {"a": "1", "b": "2", "c": "3", "d": "4"}})
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.update_thing(thingName=unique("t"), thingTypeName="x", removeThingType=True)


def test_thing_types_and_typed_things(iot) -> None:
    type_name = unique("sensor")
    created = iot.create_thing_type(
        thingTypeName=type_name,
        thingTypeProperties={"thingTypeDescription": "Sensors", "searchableAttributes": ["room"]},
        tags=[{"Key": "team", "Value": "ops"}],
    )
    assert created["thingTypeArn"].endswith(f":thingtype/{type_name}")
    described = iot.describe_thing_type(thingTypeName=type_name)
    assert described["thingTypeId"] == created["thingTypeId"]
    assert described["thingTypeProperties"] == {"thingTypeDescription": "Sensors", "searchableAttributes": ["room"]}
    assert described["thingTypeMetadata"]["deprecated"] is False
    assert "creationDate" in described["thingTypeMetadata"]
    with pytest.raises(iot.exceptions.ResourceAlreadyExistsException):
        iot.create_thing_type(thingTypeName=type_name, thingTypeProperties={"thingTypeDescription": "Other"})
    assert iot.list_tags_for_resource(resourceArn=created["thingTypeArn"])["tags"] == [{"Key": "team", "Value": "ops"}]

    thing = unique("typed")
    attributes = {f"a{i}": str(i) for i in range(5)}  # a type allows more than 3 attributes
    iot.create_thing(thingName=thing, thingTypeName=type_name, attributePayload={"attributes": attributes})
    assert iot.describe_thing(thingName=thing)["thingTypeName"] == type_name
    listed = iot.list_things(thingTypeName=type_name)["things"]
    assert [t["thingName"] for t in listed] == [thing]
    assert listed[0]["attributes"] == attributes and listed[0]["version"] == 1

    types = [t for page in iot.get_paginator("list_thing_types").paginate(thingTypeName=type_name)
             for t in page["thingTypes"]]
    assert [t["thingTypeName"] for t in types] == [type_name]
    assert types[0]["thingTypeMetadata"]["deprecated"] is False

    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.delete_thing_type(thingTypeName=type_name)  # not deprecated
    iot.deprecate_thing_type(thingTypeName=type_name)
    assert "deprecationDate" in iot.describe_thing_type(thingTypeName=type_name)["thingTypeMetadata"]
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.create_thing(thingName=unique("late"), thingTypeName=type_name)
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.delete_thing_type(thingTypeName=type_name)  # deprecated less than 5 minutes ago
    iot.deprecate_thing_type(thingTypeName=type_name, undoDeprecate=True)
    assert iot.describe_thing_type(thingTypeName=type_name)["thingTypeMetadata"]["deprecated"] is False
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.deprecate_thing_type(thingTypeName=unique("ghost"))
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.describe_thing_type(thingTypeName=unique("ghost"))
    iot.update_thing(thingName=thing, removeThingType=True, attributePayload={"attributes": {"a0": "0"}})
    assert "thingTypeName" not in iot.describe_thing(thingName=thing)
    iot.delete_thing(thingName=thing)


def test_list_things_paginates_and_filters(iot) -> None:
    marker = unique("batch")
    names = sorted(unique("paged") for _ in range(7))
    for index, name in enumerate(names):
        iot.create_thing(thingName=name, attributePayload={"attributes": {"batch": marker, "parity": f"{marker}-{index % 2}"}})
    pages = list(iot.get_paginator("list_things").paginate(
        attributeName="batch", attributeValue=marker, PaginationConfig={"PageSize": 3}))
    assert [len(page["things"]) for page in pages] == [3, 3, 1]
    assert [t["thingName"] for page in pages for t in page["things"]] == names
    assert all("nextToken" in page for page in pages[:-1]) and "nextToken" not in pages[-1]

    even = iot.list_things(attributeName="parity", attributeValue=f"{marker}-0")["things"]
    assert [t["thingName"] for t in even] == names[0::2]
    prefixed = iot.list_things(attributeName="parity", attributeValue=marker, usePrefixAttributeValue=True)["things"]
    assert len(prefixed) == 7
    limited = iot.list_things(maxResults=2)
    assert len(limited["things"]) == 2 and "nextToken" in limited
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.list_things(nextToken="bm90LWEtdG9rZW4=")
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.list_things(maxResults=251)
    for name in names:
        iot.delete_thing(thingName=name)


def test_thing_groups(iot) -> None:
    top, middle, leaf = unique("building"), unique("floor"), unique("room")
    created = iot.create_thing_group(
        thingGroupName=top,
        thingGroupProperties={"thingGroupDescription": "HQ", "attributePayload": {"attributes": {"city": "Oslo"}}},
        tags=[{"Key": "site", "Value": "hq"}],
    )
    assert created["thingGroupArn"].endswith(f":thinggroup/{top}")
    iot.create_thing_group(thingGroupName=middle, parentGroupName=top)
    iot.create_thing_group(thingGroupName=leaf, parentGroupName=middle)
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.create_thing_group(thingGroupName=unique("orphan"), parentGroupName=unique("nowhere"))
    with pytest.raises(iot.exceptions.ResourceAlreadyExistsException):
        iot.create_thing_group(thingGroupName=leaf, parentGroupName=top)

    described = iot.describe_thing_group(thingGroupName=leaf)
    assert described["version"] == 1
    assert described["thingGroupMetadata"]["parentGroupName"] == middle
    assert [g["groupName"] for g in described["thingGroupMetadata"]["rootToParentThingGroups"]] == [top, middle]
    top_description = iot.describe_thing_group(thingGroupName=top)
    assert top_description["thingGroupProperties"]["thingGroupDescription"] == "HQ"
    assert top_description["thingGroupProperties"]["attributePayload"]["attributes"] == {"city": "Oslo"}
    assert iot.list_tags_for_resource(resourceArn=created["thingGroupArn"])["tags"] == [{"Key": "site", "Value": "hq"}]

    updated = iot.update_thing_group(
        thingGroupName=top, thingGroupProperties={"attributePayload": {"attributes": {"zip": "0150"}, "merge": True}},
        expectedVersion=1)
    assert updated["version"] == 2
    assert iot.describe_thing_group(thingGroupName=top)["thingGroupProperties"]["attributePayload"]["attributes"] == {
        "city": "Oslo", "zip": "0150"}
    with pytest.raises(iot.exceptions.VersionConflictException):
        iot.update_thing_group(thingGroupName=top, thingGroupProperties={}, expectedVersion=1)
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.update_thing_group(thingGroupName=unique("ghost"), thingGroupProperties={})

    descendants = [g["groupName"] for page in iot.get_paginator("list_thing_groups").paginate(
        parentGroup=top, PaginationConfig={"PageSize": 1}) for g in page["thingGroups"]]
    assert descendants == sorted([middle, leaf])
    children = iot.list_thing_groups(parentGroup=top, recursive=False)["thingGroups"]
    assert [g["groupName"] for g in children] == [middle]
    assert [g["groupName"] for g in iot.list_thing_groups(namePrefixFilter=leaf)["thingGroups"]] == [leaf]

    things = sorted(unique("member") for _ in range(3))
    for thing in things:
        iot.create_thing(thingName=thing)
        iot.add_thing_to_thing_group(thingGroupName=leaf, thingName=thing)
    iot.add_thing_to_thing_group(thingGroupArn=created["thingGroupArn"],
                                 thingArn=iot.describe_thing(thingName=things[0])["thingArn"])
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.add_thing_to_thing_group(thingGroupName=leaf, thingName=unique("ghost"))
    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.add_thing_to_thing_group(thingName=things[0])

    in_leaf = [t for page in iot.get_paginator("list_things_in_thing_group").paginate(
        thingGroupName=leaf, PaginationConfig={"PageSize": 2}) for t in page["things"]]
    assert in_leaf == things
    assert iot.list_things_in_thing_group(thingGroupName=top)["things"] == [things[0]]
    assert iot.list_things_in_thing_group(thingGroupName=top, recursive=True)["things"] == things
    groups = [g["groupName"] for page in iot.get_paginator("list_thing_groups_for_thing").paginate(
        thingName=things[0]) for g in page["thingGroups"]]
    assert groups == sorted([top, leaf])
    iot.remove_thing_from_thing_group(thingGroupName=leaf, thingName=things[0])
    assert iot.list_things_in_thing_group(thingGroupName=leaf)["things"] == things[1:]
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.list_things_in_thing_group(thingGroupName=unique("ghost"))

    with pytest.raises(iot.exceptions.InvalidRequestException):
        iot.delete_thing_group(thingGroupName=middle)  # it has a child group
    with pytest.raises(iot.exceptions.VersionConflictException):
        iot.delete_thing_group(thingGroupName=leaf, expectedVersion=7)
    iot.delete_thing_group(thingGroupName=leaf)
    iot.delete_thing_group(thingGroupName=middle)
    iot.delete_thing_group(thingGroupName=top)
    with pytest.raises(iot.exceptions.ResourceNotFoundException):
        iot.describe_thing_group(thingGroupName=top)
    for thing in things:
        iot.delete_thing(thingName=thing)
