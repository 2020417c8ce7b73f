/// A row of `sns_deliveries`: one message (or confirmation) for one subscription, kept until
/// the delivery pipeline delivers it or gives up.
package struct StoredDelivery: Sendable, Hashable {
    /// The id (a UUID).
    package var id: String
    /// The subscription it is for (no foreign key: the pipeline drops rows whose subscription
    /// is gone).
    package var subscriptionId: String
    /// What it carries, everything needed to render and send it.
    package var payload: DeliveryPayload
    /// Attempts made so far (0 when written).
    package var attempts: Int64
    /// When it is due, in milliseconds since 1970 (the write time when written).
    package var nextAttempt: Int64
    /// When it was written, in milliseconds since 1970.
    package var created: Int64
    /// Why the last attempt failed.
    package var lastError: String?

    /// A new delivery, due at `now`.
    package init(id: String, subscriptionId: String, payload: DeliveryPayload, now: Int64) {
        self.init(
            id: id, subscriptionId: subscriptionId, payload: payload, attempts: 0, nextAttempt: now, created: now,
            lastError: nil)
    }

    /// A row as stored.
    package init(
        id: String, subscriptionId: String, payload: DeliveryPayload, attempts: Int64, nextAttempt: Int64,
        created: Int64, lastError: String?
    ) {
        self.id = id
        self.subscriptionId = subscriptionId
        self.payload = payload
        self.attempts = attempts
        self.nextAttempt = nextAttempt
        self.created = created
        self.lastError = lastError
    }

    /// `notification` or `confirmation` (the `kind` column, a copy of the payload's).
    package var kind: DeliveryPayload.Kind { payload.kind }
}
