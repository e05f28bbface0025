import StrataStore

/// The pytest cases each node type gets beyond the common ones: what a reader of the node
/// would check first (the client is called, the output is deterministic, the state carries,
/// the workflow reports its failures).
enum NodeTestCases {
    /// The body of `make_node()`: the node and what the test inspects (the recording client,
    /// the steps run).
    static func makeNode(type: NodeType, className: String) -> String {
        switch type {
        case .effect, .none:
            return PythonText.indent("""
                client = RecordingClient()
                return \(className)(client), client
                """, by: 4)
        case .orchestrator:
            return PythonText.indent("""
                calls: list[str] = []

                def runner(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
                    def run(context: dict[str, Any]) -> dict[str, Any]:
                        calls.append(name)
                        return {name + "_done": True}

                    return run

                return \(className)({step: runner(step) for step in ("extract", "load")}), calls
                """, by: 4)
        case .compute, .reducer:
            return PythonText.indent("return \(className)(), None", by: 4)
        }
    }

    /// A complete record passes; a blank required field and a mistyped one are each named.
    static func recordValidationTests(_ fields: [NodeContract.Field]) -> String {
        let good = ["str": "\"text\"", "int": "3", "float": "2.5", "bool": "True"]
        let wrong = ["str": "3", "int": "\"3\"", "float": "\"2.5\"", "bool": "1"]
        let record = fields.map { "\"\($0.name)\": \(good[$0.type] ?? "None")" }.joined(separator: ", ")
        let first = fields.first(where: \.required)!
        let last = fields[fields.count - 1]
        return """
            def test_a_complete_record_is_valid() -> None:
                node, _ = make_node()
                request = sample_request()
                request.data = {\(record)}
                result = node.process(request)
                assert result.valid and result.errors == []


            def test_a_blank_or_mistyped_field_is_named() -> None:
                node, _ = make_node()
                request = sample_request()
                request.data = {\(record)}
                request.data["\(first.name)"] = None
            \(first.name == last.name ? "" : "    request.data[\"\(last.name)\"] = \(wrong[last.type] ?? "object()")\n")\
                errors = node.process(request).errors
                assert "\(first.name) is empty" in errors
                assert \(first.name == last.name ? "errors == [\"\(first.name) is empty\"]" : "any(error.startswith(\"\(last.name) is not\") for error in errors)")
            """
    }

    /// Test functions for the node's type (and for template operations with a known result).
    static func typeTests(_ context: RenderContext) -> String {
        let contract = context.contract
        var tests: [String] = []
        switch contract.nodeType {
        case .effect, .none:
            let calls = context.bodies.flatMap { clientCalls(in: $0.body) }
            if !calls.isEmpty {
                tests.append("""
                    def test_each_operation_calls_the_client() -> None:
                        node, client = make_node()
                        node.process(sample_request())
                        assert [name for name, _ in client.calls] == [\(calls.map { "\"\($0)\"" }.joined(separator: ", "))]


                    def test_without_a_client_it_says_what_is_missing() -> None:
                        with pytest.raises(RuntimeError):
                            \(contract.className)().process(sample_request())
                    """)
            }
            tests.append(publishes(contract))
        case .compute:
            tests.append("""
                def test_the_same_input_gives_the_same_output() -> None:
                    node, _ = make_node()
                    assert node.process(sample_request()) == node.process(sample_request())
                """)
            let checked = OperationBodies.checkedFields(contract.record)
            if contract.actions.contains(where: { $0.name == "validate" }), checked.contains(where: \.required) {
                tests.append(recordValidationTests(checked))
            } else if context.pieces["validate"] == nil, contract.actions.contains(where: { $0.name == "validate" }) {
                tests.append("""
                    def test_an_empty_value_is_reported() -> None:
                        node, _ = make_node()
                        request = sample_request()
                        request.data = {"name": " "}
                        assert node.process(request).errors == ["name is empty"]
                    """)
            }
        case .reducer:
            tests.append("""
                def test_the_state_carries_over_between_calls() -> None:
                    node, _ = make_node()
                    first = node.process(sample_request())
                    request = sample_request()
                    request.state = first.state
                    second = node.process(request)
                    assert isinstance(second.state, dict)
                    assert set(second.aggregates) >= set(first.aggregates)


                def test_no_items_keep_the_aggregates() -> None:
                    node, _ = make_node()
                    first = node.process(sample_request())
                    request = sample_request()
                    request.items = []
                    request.state = first.state
                    assert node.process(request).aggregates == first.aggregates
                """)
        case .orchestrator:
            tests.append("""
                def test_every_step_completes_when_every_runner_succeeds() -> None:
                    node, calls = make_node()
                    result = node.process(sample_request())
                    assert result.failed == []
                    assert set(result.completed) == {"extract", "load"}
                    assert set(calls) == {"extract", "load"}


                def test_a_step_without_a_runner_is_reported_failed() -> None:
                    node, _ = make_node()
                    request = sample_request()
                    request.steps = ["extract", "unknown"]
                    assert "unknown" in node.process(request).failed
                """)
            tests.append(publishes(contract))
        }
        return tests.map { "\n\n" + $0 }.joined()
    }

    private static func publishes(_ contract: NodeContract) -> String {
        guard let completed = contract.publishes.first(where: { $0.hasSuffix(".completed") }) else { return "" }
        return """
            def test_the_entry_point_publishes_its_outcome() -> None:
                node, _ = make_node()
                node.\(contract.nodeType.entryMethod)(sample_request())
                assert node.events[-1][0] == "\(completed)"
            """
    }

    /// The client methods a body calls, in order: `self._call("write", ...)` → `write`.
    static func clientCalls(in body: String) -> [String] {
        var calls: [String] = []
        var rest = Substring(body)
        while let range = rest.range(of: "self._call(\"") {
            let after = rest[range.upperBound...]
            guard let close = after.firstIndex(of: "\"") else { break }
            calls.append(String(after[..<close]))
            rest = after[close...]
        }
        return calls
    }
}
