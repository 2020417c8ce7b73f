import MQTTProtocol
import Testing

@testable import MQTTBroker

@Suite("Subscription tree")
struct SubscriptionIndexTests {
    private func session(_ id: String) -> Session {
        Session(
            state: SessionState(clientIdentifier: id, isPersistent: false, maximumInflight: 10, maximumQueued: 10),
            counters: BrokerCounters(),
            mailboxLimit: 100,
            stallTimeout: .milliseconds(250)
        )
    }

    @Test(arguments: [
        ("sport/tennis/player1/#", "sport/tennis/player1", true),
        ("sport/tennis/player1/#", "sport/tennis/player1/ranking", true),
        ("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true),
        ("sport/#", "sport", true),
        ("#", "anything/at/all", true),
        ("sport/tennis/+", "sport/tennis/player1", true),
        ("sport/tennis/+", "sport/tennis/player1/tracking", false),
        ("sport/+", "sport", false),
        ("sport/+", "sport/", true),
        ("+/+", "/finance", true),
        ("/+", "/finance", true),
        ("+", "/finance", false),
        ("#", "$SYS/broker", false),
        ("+/monitor/Clients", "$SYS/monitor/Clients", false),
        ("$SYS/#", "$SYS/monitor/Clients", true),
        ("$SYS/monitor/+", "$SYS/monitor/Clients", true),
        ("a/b", "a/b", true),
        ("a/b", "a/b/c", false),
        ("a//b", "a//b", true),
        ("a/+/b", "a//b", true),
    ])
    func matching(filter: String, topic: String, expected: Bool) {
        let index = SubscriptionIndex()
        let subscriber = session("s")
        index.subscribe(subscriber, filter: filter, qos: .atMostOnce)
        #expect((index.matches(topic: topic).count == 1) == expected)
    }

    @Test func overlappingSubscriptionsMatchOnceAtTheHighestQoS() throws {
        let index = SubscriptionIndex()
        let subscriber = session("s")
        index.subscribe(subscriber, filter: "a/#", qos: .atMostOnce)
        index.subscribe(subscriber, filter: "a/+", qos: .exactlyOnce)
        index.subscribe(subscriber, filter: "a/b", qos: .atLeastOnce)
        let matches = index.matches(topic: "a/b")
        #expect(matches.count == 1)
        #expect(try #require(matches.first).qos == .exactlyOnce)
    }

    @Test func resubscribingReplacesTheGrantedQoS() throws {
        let index = SubscriptionIndex()
        let subscriber = session("s")
        index.subscribe(subscriber, filter: "a", qos: .exactlyOnce)
        index.subscribe(subscriber, filter: "a", qos: .atMostOnce)
        #expect(index.subscriptionCount == 1)
        #expect(try #require(index.matches(topic: "a").first).qos == .atMostOnce)
    }

    @Test func manySubscribersOfOneTopicAreAllFound() {
        let index = SubscriptionIndex()
        let sessions = (0..<100).map { session("s\($0)") }
        for subscriber in sessions { index.subscribe(subscriber, filter: "fan/out", qos: .atMostOnce) }
        #expect(index.matches(topic: "fan/out").count == 100)
        #expect(index.matches(topic: "fan/in").isEmpty)
    }

    @Test func unsubscribeRemovesOnlyThatFilterAndPrunes() {
        let index = SubscriptionIndex()
        let one = session("one")
        let two = session("two")
        index.subscribe(one, filter: "a/+/c", qos: .atMostOnce)
        index.subscribe(two, filter: "a/+/c", qos: .atMostOnce)
        index.subscribe(one, filter: "a/#", qos: .atMostOnce)
        #expect(index.unsubscribe(one, filter: "a/+/c"))
        #expect(!index.unsubscribe(one, filter: "a/+/c"))
        #expect(!index.unsubscribe(one, filter: "never/subscribed"))
        #expect(index.matches(topic: "a/b/c").count == 2)  // two via a/+/c, one via a/#
        index.unsubscribe(one, filters: ["a/#"])
        #expect(index.matches(topic: "a/b/c").map(\.session.clientIdentifier) == ["two"])
        #expect(index.subscriptionCount == 1)
    }

    @Test func cachedMatchesFollowEverySubscribeAndUnsubscribe() {
        let index = SubscriptionIndex()
        let one = session("one")
        let two = session("two")
        index.subscribe(one, filter: "home/+/temp", qos: .atMostOnce)
        #expect(index.matches(topic: "home/kitchen/temp").map(\.session.clientIdentifier) == ["one"])
        index.subscribe(two, filter: "home/#", qos: .atLeastOnce)
        #expect(Set(index.matches(topic: "home/kitchen/temp").map(\.session.clientIdentifier)) == ["one", "two"])
        index.subscribe(one, filter: "home/kitchen/temp", qos: .exactlyOnce)
        let upgraded = index.matches(topic: "home/kitchen/temp").first { $0.session === one }
        #expect(upgraded?.qos == .exactlyOnce)
        index.unsubscribe(two, filter: "home/#")
        index.unsubscribe(one, filters: ["home/+/temp", "home/kitchen/temp"])
        #expect(index.matches(topic: "home/kitchen/temp").isEmpty)
    }

    @Test func moreTopicsThanTheCacheHoldsAreStillMatchedCorrectly() {
        let index = SubscriptionIndex()
        let subscriber = session("s")
        index.subscribe(subscriber, filter: "d/+", qos: .atLeastOnce)
        for round in 0..<2 {
            for n in 0..<(SubscriptionIndex.cacheLimit + 10) {
                #expect(index.matches(topic: "d/\(n)").count == 1, "round \(round), topic d/\(n)")
            }
        }
        #expect(index.matches(topic: "e/1").isEmpty)
    }
}
