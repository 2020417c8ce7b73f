import Registry

extension ControlPlane {
    /// Registers the handlers of the `iot` operations Thingport serves over `services`:
    /// things, thing types and groups, certificates and CA certificates, IoT policies and
    /// their attachments, thing principals, topic rules and tags. `DescribeEndpoint` stays
    /// the built-in one; `TestAuthorization` is left for the device authorization module.
    ///
    /// Registry failures answer as the modelled exception they name
    /// (``RegistryError/awsError``).
    public mutating func registerIoTOperations(_ services: IoTServices) {
        let handlers = IoTHandlers(services: services)
        for operation in handlers.operations {
            let handle = operation.handle
            register(.iot, operation.name) { input, _ in try await handle(input) }
        }
    }
}
