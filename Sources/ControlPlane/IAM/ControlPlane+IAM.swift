import Identity

extension ControlPlane {
    /// Registers the handlers of the `iam` operations Thingport serves over `identity`:
    /// roles, customer managed policies and their versions, role policy attachments and
    /// inline role policies.
    ///
    /// Store failures answer as the error code they name (``IdentityError/awsError``), in
    /// query-protocol XML. Policy documents in responses are URL-encoded JSON, as AWS sends
    /// them (botocore decodes them back into dictionaries).
    ///
    /// ```swift
    /// var api = ControlPlane(configuration: configuration, logger: logger)
    /// api.registerIAMOperations(IdentityStore(database: database, accountId: "000000000000"))
    /// ```
    public mutating func registerIAMOperations(_ identity: IdentityStore) {
        let handlers = IAMHandlers(identity: identity)
        for operation in handlers.operations {
            let handle = operation.handle
            register(.iam, operation.name) { input, _ in try await handle(IAMInput(input)) }
        }
    }
}
