extension Workflow {
    /// The workflows that ship with Strata, by name.
    public static let builtin: [String: Workflow] = {
        var workflows: [String: Workflow] = [:]
        for (name, text) in builtinSources {
            // Constants of this file, checked by the tests: a failure here is a bug.
            workflows[name] = try! Workflow(yaml: text, source: "builtin \(name)")
        }
        return workflows
    }()

    /// Their YAML, the same format a user's workflow file takes.
    static let builtinSources: [(String, String)] = [("crud", crud), ("event-handler", eventHandler), ("api-endpoint", apiEndpoint), ("etl", etl)]

    static let crud = """
        name: crud
        summary: Create and read one entity through an API, every record validated before it is stored.
        detect: [crud]
        orchestrator: api
        nodes:
          - role: validator
            type: compute
            name: "{Entity} Validator"
            operations: [validate]
            prompt: "Validate a {entity} record: every field present"
          - role: writer
            type: effect
            name: "{Entity} Writer"
            operations: [write]
            domain: database
            prompt: "Write {entities} records to the database"
          - role: reader
            type: effect
            name: "{Entity} Reader"
            operations: [read]
            domain: database
            prompt: "Read {entities} records from the database"
          - role: api
            type: orchestrator
            name: "{Entity} API"
            operations: [orchestrate]
            domain: api
            prompt: "CRUD API for {entity} management"
            depends_on: [validator, writer, reader]
        steps:
          - role: validator
            inputs: {data: entity}
            require: valid
          - role: writer
            inputs: {records: "[entity]", target: {text: "{entities}"}}
          - role: reader
            inputs: {query: {text: "{entities}"}}
        """

    static let eventHandler = """
        name: event-handler
        summary: Consume a {entity} event stream, transform each event and keep running counts per event type.
        detect: [event handler]
        orchestrator: handler
        nodes:
          - role: consumer
            type: effect
            name: "{Entity} Event Consumer"
            operations: [consume]
            domain: messaging
            prompt: "Consume {entity} events from the message broker"
          - role: transformer
            type: compute
            name: "{Entity} Event Transformer"
            operations: [transform]
            prompt: "Transform a {entity} event into a normalized record"
          - role: state
            type: reducer
            name: "{Entity} Event State"
            operations: [count]
            prompt: "Count {entity} events per type"
          - role: handler
            type: orchestrator
            name: "{Entity} Event Handler"
            operations: [orchestrate]
            domain: messaging
            prompt: "Handle {entity} events end to end"
            depends_on: [consumer, transformer, state]
        steps:
          - role: consumer
            inputs: {topic: {text: "{entity}.events"}}
          - role: transformer
            inputs: {data: "messages[0]"}
          - role: state
            inputs: {items: messages, key: {text: "type"}}
        """

    static let apiEndpoint = """
        name: api-endpoint
        summary: One API endpoint for {entities}, its request validated before the backend is called.
        detect: [endpoint]
        orchestrator: endpoint
        nodes:
          - role: request_validator
            type: compute
            name: "{Entity} Request Validator"
            operations: [validate]
            prompt: "Validate a {entity} request: every field present"
          - role: backend
            type: effect
            name: "{Entity} Backend"
            operations: [fetch]
            domain: api
            prompt: "Call the {entity} backend over HTTP"
          - role: endpoint
            type: orchestrator
            name: "{Entity} Endpoint"
            operations: [orchestrate]
            domain: api
            prompt: "API endpoint for {entities}"
            depends_on: [request_validator, backend]
        steps:
          - role: request_validator
            inputs: {data: entity}
            require: valid
          - role: backend
            inputs: {resource: {text: "/{entities}"}, params: entity}
        """

    static let etl = """
        name: etl
        summary: Extract {entities} from the database, transform them, total their numbers and load the records into the warehouse.
        detect: [etl, pipeline]
        orchestrator: pipeline
        nodes:
          - role: extractor
            type: effect
            name: "{Entity} Extractor"
            operations: [read]
            domain: database
            prompt: "Extract {entities} from the source database"
          - role: transformer
            type: compute
            name: "{Entity} Transformer"
            operations: [transform]
            prompt: "Transform a {entity} record into the warehouse's shape"
          - role: aggregator
            type: reducer
            name: "{Entity} Aggregator"
            operations: [merge]
            prompt: "Total the numeric fields of {entities}"
          - role: loader
            type: effect
            name: "{Entity} Loader"
            operations: [write]
            domain: database
            prompt: "Load {entities} into the warehouse"
          - role: pipeline
            type: orchestrator
            name: "{Entity} Pipeline"
            operations: [orchestrate]
            domain: data
            prompt: "ETL pipeline for {entities}"
            depends_on: [extractor, transformer, aggregator, loader]
        steps:
          - role: extractor
            inputs: {query: {text: "{entities}"}}
          - role: transformer
            inputs: {data: "records[0]"}
          - role: aggregator
            inputs: {items: records}
          - role: loader
            inputs: {records: records, target: {text: "{entity}_warehouse"}}
        """
}
