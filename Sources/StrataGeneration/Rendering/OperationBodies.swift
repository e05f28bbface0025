import StrataStore

/// The Python body of each operation's method, as the offline renderer writes it.
///
/// Every body reads only fields its operation's contract shape puts in the input model
/// (``ContractBuilder``), returns a dict keyed by output fields, and uses only what the type's
/// base template gives the class (``allowedMembers``). Bodies are written at column 0; the
/// renderer indents them into the class.
package enum OperationBodies {
    /// The body for `operation` of a node of `type`, or the type's default operation's body
    /// for a verb without one of its own.
    package static func body(for operation: String, type: NodeType) -> String {
        if let body = bodies[operation] { return body }
        switch type {
        case .compute: return bodies["compute"]!
        case .reducer: return bodies["reduce"]!
        case .orchestrator: return bodies["orchestrate"]!
        case .effect, .none: return bodies["execute"]!
        }
    }

    /// The Python types of a record field the checker knows, by the field's type.
    static let recordKinds = ["str": "(str,)", "int": "(int,)", "float": "(int, float)", "bool": "(bool,)"]

    /// The fields of `record` the checker can check: those of a type it knows.
    static func checkedFields(_ record: [NodeContract.Field]) -> [NodeContract.Field] {
        record.filter { recordKinds[$0.type] != nil }
    }

    /// The body of `validate` for records of `fields`: each required field present and not
    /// blank, each present field of its type (an int is a float too; a bool is not a number);
    /// nil when no field is of a type it knows.
    static func recordValidation(_ fields: [NodeContract.Field]) -> String? {
        let fields = checkedFields(fields)
        guard !fields.isEmpty else { return nil }
        let expected = fields.map { "\"\($0.name)\": \(recordKinds[$0.type]!)" }.joined(separator: ", ")
        let required = fields.filter(\.required).map { "\"\($0.name)\"" }.joined(separator: ", ")
        return #"""
            expected: dict[str, tuple[type, ...]] = {\#(expected)}
            required: set[str] = \#(required.isEmpty ? "set()" : "{" + required + "}")
            errors: list[str] = []
            for key, kinds in expected.items():
                value = request.data.get(key)
                if value is None or (isinstance(value, str) and not value.strip()):
                    if key in required:
                        errors.append(f"{key} is empty")
                elif not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
                    errors.append(f"{key} is not {' or '.join(kind.__name__ for kind in kinds)}")
            return {"valid": not errors, "errors": errors}
            """#
    }

    /// What the record-checking `validate` does, for its docstring.
    static let recordValidationSummary = "Checks every field of the record: present, not blank, and of its type."

    /// One sentence for the method's docstring.
    static func summary(for operation: String) -> String {
        summaries[operation] ?? "Performs the \(operation) operation."
    }

    /// The `self.` members a body may use, per type: what the type's template defines.
    static func allowedMembers(_ type: NodeType) -> Set<String> {
        let common: Set<String> = ["_log", "operations", "node_type", "contract_name", "publishes", "consumes"]
        switch type {
        case .effect: return common.union(["_call", "_client", "_emit", "events"])
        case .orchestrator: return common.union(["_run_step", "_steps", "_emit", "events"])
        case .compute, .reducer, .none: return common
        }
    }

    /// Whether a body needs `import json` in node.py.
    static func needsJSON(_ body: String) -> Bool { body.contains("json.") }

    private static let summaries: [String: String] = [
        "write": "Writes the records to the target through the client; an empty batch makes no call.",
        "read": "Reads at most `limit` records (100 by default) matching the query.",
        "fetch": "Fetches the resource with its parameters; a non-dict answer is wrapped as {\"value\": ...}.",
        "publish": "Publishes the payload to the topic and reports the broker's message id.",
        "consume": "Reads at most `max_messages` messages (100 by default) from the topic.",
        "execute": "Performs the request through the client and returns its answer as a dict.",
        "calculate": "Sums the numeric values of the input (booleans are not numbers here).",
        "transform": "Normalizes the keys: trimmed, lower case, spaces to underscores.",
        "parse": "Parses string values that hold JSON; other strings are kept trimmed.",
        "format": "Formats the input as `key=value` pairs in key order.",
        "validate": "Reports every empty (None or blank) value as an error.",
        "compute": "Returns the input in key order, so equal inputs give equal outputs.",
        "aggregate": "Mean of `value` per group (`key` names the group field), carried in the state.",
        "count": "Counts the items per group, adding to the counts carried in the state.",
        "merge": "Sums every numeric field over the items, adding to the sums in the state.",
        "collect": "Keeps the latest `value` of each group.",
        "reduce": "Sums `value` per group, adding to the totals carried in the state.",
        "orchestrate": "Runs the steps in order and stops at the first failure.",
        "schedule": "Runs the steps by priority (context['priority'], lower first), stopping at the first failure.",
        "dispatch": "Runs every step independently; a failure does not stop the others.",
        "route": "Runs only the steps named in context['route'] (all when absent), in order.",
        "retry": "Runs each step up to context['attempts'] times (3 by default) before giving up.",
    ]

    private static let bodies: [String: String] = [
        // Effect
        "write": #"""
        records = list(request.records)
        if not request.target:
            raise ValueError("target is empty: say where to write (a table, bucket or path)")
        if records:
            self._call("write", request.target, records)
        self._log.info("wrote %d records to %s", len(records), request.target)
        return {"written": len(records)}
        """#,
        "read": #"""
        limit = 100 if request.limit is None else request.limit
        if limit < 0:
            raise ValueError(f"limit must be 0 or more, got {limit}")
        rows = self._call("read", request.query, limit)
        return {"records": list(rows or [])[:limit]}
        """#,
        "fetch": #"""
        answer = self._call("fetch", request.resource, dict(request.params or {}))
        payload = answer if isinstance(answer, dict) else {"value": answer}
        return {"payload": payload, "status": 200 if payload else 204}
        """#,
        "publish": #"""
        if not request.topic:
            raise ValueError("topic is empty: say where to publish")
        message_id = self._call("publish", request.topic, dict(request.payload))
        return {"published": message_id is not None, "message_id": str(message_id or "")}
        """#,
        "consume": #"""
        limit = 100 if request.max_messages is None else request.max_messages
        if limit < 0:
            raise ValueError(f"max_messages must be 0 or more, got {limit}")
        messages = list(self._call("consume", request.topic, limit) or [])
        return {"messages": messages[:limit]}
        """#,
        "execute": #"""
        answer = self._call("execute", dict(request.request))
        return {"response": answer if isinstance(answer, dict) else {"value": answer}}
        """#,
        // Compute
        "calculate": #"""
        numbers = {
            key: float(value)
            for key, value in request.data.items()
            if isinstance(value, (int, float)) and not isinstance(value, bool)
        }
        return {"result": {"total": sum(numbers.values()), "count": len(numbers)}}
        """#,
        "transform": #"""
        return {"result": {str(key).strip().lower().replace(" ", "_"): value for key, value in request.data.items()}}
        """#,
        "parse": #"""
        parsed: dict[str, Any] = {}
        for key, value in request.data.items():
            if not isinstance(value, str):
                parsed[key] = value
                continue
            try:
                parsed[key] = json.loads(value)
            except ValueError:
                parsed[key] = value.strip()
        return {"result": parsed}
        """#,
        "format": #"""
        pairs = [f"{key}={request.data[key]}" for key in sorted(request.data)]
        return {"result": {"text": ", ".join(pairs), "fields": len(pairs)}}
        """#,
        "validate": #"""
        errors = [
            f"{key} is empty"
            for key, value in request.data.items()
            if value is None or (isinstance(value, str) and not value.strip())
        ]
        return {"valid": not errors, "errors": errors}
        """#,
        "compute": #"""
        return {"result": {key: request.data[key] for key in sorted(request.data)}}
        """#,
        // Reducer
        "aggregate": #"""
        group_field = request.key or "key"
        state = dict(request.state or {})
        sums: dict[str, float] = dict(state.get("sums", {}))
        counts: dict[str, int] = dict(state.get("counts", {}))
        for item in request.items:
            value = item.get("value")
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                group = str(item.get(group_field, "all"))
                sums[group] = sums.get(group, 0.0) + float(value)
                counts[group] = counts.get(group, 0) + 1
        means = {group: sums[group] / counts[group] for group in sums}
        return {"aggregates": means, "state": {**state, "sums": sums, "counts": counts}}
        """#,
        "count": #"""
        group_field = request.key or "key"
        state = dict(request.state or {})
        counts: dict[str, float] = dict(state.get("counts", {}))
        for item in request.items:
            group = str(item.get(group_field, "all"))
            counts[group] = counts.get(group, 0.0) + 1.0
        return {"aggregates": counts, "state": {**state, "counts": counts}}
        """#,
        "merge": #"""
        state = dict(request.state or {})
        sums: dict[str, float] = dict(state.get("field_sums", {}))
        for item in request.items:
            for field, value in item.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    sums[field] = sums.get(field, 0.0) + float(value)
        return {"aggregates": sums, "state": {**state, "field_sums": sums}}
        """#,
        "collect": #"""
        group_field = request.key or "key"
        state = dict(request.state or {})
        latest: dict[str, float] = dict(state.get("latest", {}))
        for item in request.items:
            value = item.get("value")
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                latest[str(item.get(group_field, "all"))] = float(value)
        return {"aggregates": latest, "state": {**state, "latest": latest}}
        """#,
        "reduce": #"""
        group_field = request.key or "key"
        state = dict(request.state or {})
        totals: dict[str, float] = dict(state.get("totals", {}))
        for item in request.items:
            value = item.get("value")
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                group = str(item.get(group_field, "all"))
                totals[group] = totals.get(group, 0.0) + float(value)
        return {"aggregates": totals, "state": {**state, "totals": totals}}
        """#,
        // Orchestrator
        "orchestrate": #"""
        context = dict(request.context or {})
        completed: list[str] = []
        for step in request.steps:
            if not self._run_step(step, context):
                return {"completed": completed, "failed": [step]}
            completed.append(step)
        return {"completed": completed, "failed": []}
        """#,
        "schedule": #"""
        context = dict(request.context or {})
        priority = dict(context.get("priority", {}))
        completed: list[str] = []
        for step in sorted(request.steps, key=lambda name: priority.get(name, 0)):
            if not self._run_step(step, context):
                return {"completed": completed, "failed": [step]}
            completed.append(step)
        return {"completed": completed, "failed": []}
        """#,
        "dispatch": #"""
        context = dict(request.context or {})
        completed: list[str] = []
        failed: list[str] = []
        for step in request.steps:
            (completed if self._run_step(step, dict(context)) else failed).append(step)
        return {"completed": completed, "failed": failed}
        """#,
        "route": #"""
        context = dict(request.context or {})
        wanted = set(context.get("route", request.steps))
        completed: list[str] = []
        for step in (name for name in request.steps if name in wanted):
            if not self._run_step(step, context):
                return {"completed": completed, "failed": [step]}
            completed.append(step)
        return {"completed": completed, "failed": []}
        """#,
        "retry": #"""
        context = dict(request.context or {})
        attempts = max(1, int(context.get("attempts", 3)))
        completed: list[str] = []
        for step in request.steps:
            if not any(self._run_step(step, context) for _ in range(attempts)):
                return {"completed": completed, "failed": [step]}
            completed.append(step)
        return {"completed": completed, "failed": []}
        """#,
    ]
}
