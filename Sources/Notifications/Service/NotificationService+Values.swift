extension NotificationService {
    /// A topic tag.
    public struct Tag: Sendable, Hashable {
        /// The key (1–128 characters).
        public var key: String
        /// The value (0–256 characters).
        public var value: String

        /// Creates a tag.
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// One page of a listing and the token that continues it.
    public struct Page<Item: Sendable>: Sendable {
        /// The items of this page, in the listing's order.
        public var items: [Item]
        /// The `NextToken` of the next page, nil on the last page.
        public var nextToken: String?

        /// Creates a page.
        public init(items: [Item], nextToken: String?) {
            self.items = items
            self.nextToken = nextToken
        }
    }

    /// A subscription as `ListSubscriptions` and `ListSubscriptionsByTopic` show it.
    public struct Subscription: Sendable, Hashable {
        /// The subscription's ARN (also while it waits for confirmation).
        public var subscriptionArn: String
        /// The account that owns it.
        public var owner: String
        /// `email`, `email-json`, `http` or `https`.
        public var `protocol`: String
        /// The address or URL.
        public var endpoint: String
        /// The ARN of its topic.
        public var topicArn: String
        /// Whether the endpoint's owner confirmed it.
        public var isConfirmed: Bool

        /// Creates a subscription value.
        public init(
            subscriptionArn: String, owner: String, protocol: String, endpoint: String, topicArn: String,
            isConfirmed: Bool
        ) {
            self.subscriptionArn = subscriptionArn
            self.owner = owner
            self.protocol = `protocol`
            self.endpoint = endpoint
            self.topicArn = topicArn
            self.isConfirmed = isConfirmed
        }

        /// The `SubscriptionArn` listings show: the ARN, or `PendingConfirmation` until confirmed.
        public var listedSubscriptionArn: String {
            isConfirmed ? subscriptionArn : "PendingConfirmation"
        }
    }

    /// A message attribute as `Publish` takes it: a data type and a string or binary value.
    public typealias MessageAttributeValue = FilterPolicy.MessageAttribute

    /// The input of `Publish`.
    public struct PublishRequest: Sendable {
        /// The topic to publish to.
        public var topicArn: String?
        /// The topic to publish to, under its other name (mobile endpoints are not supported).
        public var targetArn: String?
        /// A phone number (SMS is not supported: refused).
        public var phoneNumber: String?
        /// The message: one text for every protocol, or with ``messageStructure`` `json` a JSON
        /// object of texts by protocol with a `default`.
        public var message: String
        /// The subject of e-mails (and `Subject` of JSON notifications).
        public var subject: String?
        /// `json`, or nil.
        public var messageStructure: String?
        /// The message attributes, by name.
        public var messageAttributes: [String: MessageAttributeValue]
        /// FIFO topics only (refused).
        public var messageDeduplicationId: String?
        /// Accepted and ignored on standard topics (AWS forwards it to SQS only).
        public var messageGroupId: String?

        /// Creates a request.
        public init(
            topicArn: String? = nil, targetArn: String? = nil, phoneNumber: String? = nil, message: String,
            subject: String? = nil, messageStructure: String? = nil,
            messageAttributes: [String: MessageAttributeValue] = [:], messageDeduplicationId: String? = nil,
            messageGroupId: String? = nil
        ) {
            self.topicArn = topicArn
            self.targetArn = targetArn
            self.phoneNumber = phoneNumber
            self.message = message
            self.subject = subject
            self.messageStructure = messageStructure
            self.messageAttributes = messageAttributes
            self.messageDeduplicationId = messageDeduplicationId
            self.messageGroupId = messageGroupId
        }
    }

    /// One entry of `PublishBatch`.
    public struct BatchEntry: Sendable {
        /// The caller's id of the entry, unique in the batch (`[A-Za-z0-9_-]`, at most 80).
        public var id: String
        /// As ``PublishRequest/message``.
        public var message: String
        /// As ``PublishRequest/subject``.
        public var subject: String?
        /// As ``PublishRequest/messageStructure``.
        public var messageStructure: String?
        /// As ``PublishRequest/messageAttributes``.
        public var messageAttributes: [String: MessageAttributeValue]
        /// FIFO topics only (refused).
        public var messageDeduplicationId: String?
        /// Accepted and ignored on standard topics.
        public var messageGroupId: String?

        /// Creates an entry.
        public init(
            id: String, message: String, subject: String? = nil, messageStructure: String? = nil,
            messageAttributes: [String: MessageAttributeValue] = [:], messageDeduplicationId: String? = nil,
            messageGroupId: String? = nil
        ) {
            self.id = id
            self.message = message
            self.subject = subject
            self.messageStructure = messageStructure
            self.messageAttributes = messageAttributes
            self.messageDeduplicationId = messageDeduplicationId
            self.messageGroupId = messageGroupId
        }
    }

    /// What `PublishBatch` answers: the published entries and the refused ones.
    public struct BatchResult: Sendable, Hashable {
        /// A published entry.
        public struct Success: Sendable, Hashable {
            /// The entry's id.
            public var id: String
            /// The id of its message.
            public var messageId: String

            /// Creates a success.
            public init(id: String, messageId: String) {
                self.id = id
                self.messageId = messageId
            }
        }

        /// A refused entry.
        public struct Failure: Sendable, Hashable {
            /// The entry's id.
            public var id: String
            /// The error code (`InvalidParameter`…).
            public var code: String
            /// Why it was refused.
            public var message: String
            /// Whether the caller is at fault.
            public var senderFault: Bool

            /// Creates a failure.
            public init(id: String, code: String, message: String, senderFault: Bool) {
                self.id = id
                self.code = code
                self.message = message
                self.senderFault = senderFault
            }
        }

        /// The published entries, in request order.
        public var successful: [Success]
        /// The refused entries, in request order.
        public var failed: [Failure]

        /// Creates a result.
        public init(successful: [Success], failed: [Failure]) {
            self.successful = successful
            self.failed = failed
        }
    }
}

extension NotificationService.Page: Equatable where Item: Equatable {}
