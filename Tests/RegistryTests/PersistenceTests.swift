import Foundation
import Registry
import SQLKit
import Storage
import Testing

@Suite("Persistence and migrations")
struct PersistenceTests {
    @Test("Closing and reopening the same store keeps everything", arguments: Engine.available)
    func restart(engine: Engine) async throws {
        let fixture = Fixture(engine)
        var (database, registry) = try await fixture.open()
        try await registry.createThingType(thingTypeName: "type", tags: [Tag(key: "k", value: "v")])
        let thing = try await registry.createThing(
            thingName: "t", thingTypeName: "type", attributePayload: AttributePayload(attributes: ["a": "1"]))
        let group = try await registry.createThingGroup(thingGroupName: "g")
        try await registry.addThingToThingGroup(thingGroupName: "g", thingName: "t")
        let certificate = try await registry.registerTestCertificate(1)
        try await registry.attachThingPrincipal(thingName: "t", principal: certificate.certificateArn)
        let policy = try await registry.createPolicy(policyName: "p", policyDocument: "{\"v\":1}")
        try await registry.createPolicyVersion(policyName: "p", policyDocument: "{\"v\":2}", setAsDefault: true)
        try await registry.attachPolicy(policyName: "p", target: certificate.certificateArn)
        let rule = try await registry.createTopicRule(
            ruleName: "r", payload: TopicRuleTests.payload("x"), topicPattern: "x")
        let ca = try await registry.registerCACertificate(
            CACertificateRegistration(certificateId: certificateId(9), certificatePem: "CA", status: .active))
        await database.shutdown()

        (database, registry) = try await fixture.open()
        #expect(try await registry.describeThing(thingName: "t") == thing)
        #expect(try await registry.describeThingGroup(thingGroupName: "g") == group)
        #expect(try await registry.describeCertificate(certificateId: certificateId(1)) == certificate)
        #expect(try await registry.getPolicy(policyName: "p").policyDocument == "{\"v\":2}")
        #expect(try await registry.getPolicy(policyName: "p").creationDate == policy.creationDate)
        #expect(try await registry.getTopicRule(ruleName: "r") == rule)
        #expect(try await registry.describeCACertificate(certificateId: certificateId(9)) == ca)
        #expect(try await registry.listThingGroupsForThing(thingName: "t").items.map(\.groupName) == ["g"])
        #expect(
            try await registry.listThingPrincipals(thingName: "t").items.map(\.principal) == [
                certificate.certificateArn
            ])
        #expect(
            try await registry.listAttachedPolicies(target: certificate.certificateArn).items.map(\.policyName) == ["p"]
        )
        #expect(
            try await registry.listTagsForResource(resourceArn: "arn:aws:iot:us-east-1:123456789012:thingtype/type")
                .items
                == [Tag(key: "k", value: "v")])
        // Writes still work after the restart.
        try await registry.createThing(thingName: "t2")
        await database.shutdown()
        await fixture.destroy()
    }

    @Test("Migrating again applies nothing; the schema is recorded", arguments: Engine.available)
    func migrationsIdempotent(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, fixture in
            try await registry.migrate()
            let database = try await Database.open(fixture.configuration)
            #expect(try await database.migrate(component: Registry.migrationComponent, Registry.migrations).isEmpty)
            let applied = try await database.appliedMigrations(component: Registry.migrationComponent)
            #expect(applied.map(\.version) == Registry.migrations.map(\.version))
            await database.shutdown()
        }
    }

    @Test("A registry database from a newer build is refused", arguments: Engine.available)
    func newerSchema(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, fixture in
            let database = try await Database.open(fixture.configuration)
            let future =
                Registry.migrations + [
                    Migration(version: Registry.migrations.count + 1, name: "from the future") { _ in
                        ["CREATE TABLE future_table (id BIGINT PRIMARY KEY)"]
                    }
                ]
            try await database.migrate(component: Registry.migrationComponent, future)
            do {
                try await registry.migrate()
                Issue.record("an older registry migrated a newer database")
            } catch let error as DatabaseError {
                #expect(error.code == .schemaNewerThanCode)
            }
            await database.shutdown()
        }
    }

    @Test("Concurrent creates of one thing store it once", arguments: Engine.available)
    func concurrentCreates(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await withThrowingTaskGroup(of: Thing.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await registry.createThing(thingName: "same") }
                }
                var ids = Set<String>()
                for try await thing in group { ids.insert(thing.thingId) }
                #expect(ids.count == 1)
            }
            #expect(try await registry.listThings().items.count == 1)
        }
    }
}
