/// A compiled expression: the parser resolves names, functions and literal patterns once,
/// so evaluating it is a walk over this tree.
indirect enum SQLExpression: Sendable {
    /// A constant.
    case literal(SQLValue)
    /// A key of the document being queried (the payload, or an element in a nested query).
    case field(String)
    /// `base.name`.
    case member(SQLExpression, String)
    /// `base[index]`, 0-based.
    case index(SQLExpression, SQLExpression)
    /// `*` as a function argument: the whole document.
    case document
    /// `[a, b]`.
    case array([SQLExpression])
    /// `{'key': value, …}`.
    case object([ObjectMember])
    /// `-x`, `NOT x`.
    case unary(UnaryOperator, SQLExpression)
    /// `a op b`.
    case binary(BinaryOperator, SQLExpression, SQLExpression)
    /// `CASE [v] WHEN t THEN r … [ELSE e] END`.
    case caseWhen(CaseExpression)
    /// A built-in function.
    case call(SQLFunctionCall)
    /// `cast(x AS type)`.
    case cast(SQLExpression, CastType)
    /// `(SELECT … FROM expression [WHERE …])`.
    case subquery(SQLQuery)

    struct ObjectMember: Sendable {
        let key: String
        let value: SQLExpression
    }

    enum UnaryOperator: Sendable {
        case negate, not
    }

    enum BinaryOperator: Sendable {
        case and, or
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual, isIn
        case add, subtract, multiply, divide, remainder
    }

    struct CaseExpression: Sendable {
        /// The value compared with each `WHEN`; without one, each `WHEN` is a condition.
        let operand: SQLExpression?
        let branches: [Branch]
        let otherwise: SQLExpression?

        struct Branch: Sendable {
            let when: SQLExpression
            let then: SQLExpression
        }
    }

    /// The types `cast` converts to.
    enum CastType: Sendable {
        case string, int, double, decimal, bool
    }

    /// Whether evaluating the expression reads the document (so the payload must be parsed).
    var readsDocument: Bool {
        switch self {
        case .literal: false
        case .field, .document: true
        case .member(let base, _): base.readsDocument
        case .index(let base, let index): base.readsDocument || index.readsDocument
        case .array(let elements): elements.contains { $0.readsDocument }
        case .object(let members): members.contains { $0.value.readsDocument }
        case .unary(_, let operand): operand.readsDocument
        case .binary(_, let left, let right): left.readsDocument || right.readsDocument
        case .caseWhen(let expression):
            (expression.operand?.readsDocument ?? false)
                || expression.branches.contains { $0.when.readsDocument || $0.then.readsDocument }
                || (expression.otherwise?.readsDocument ?? false)
        case .call(let call): call.arguments.contains { $0.readsDocument }
        case .cast(let operand, _): operand.readsDocument
        case .subquery(let query):
            // The inner query reads its own source; only the source reads this document.
            if case .expression(let source) = query.source { source.readsDocument } else { true }
        }
    }
}

/// A SELECT: the top-level statement or a nested object query.
struct SQLQuery: Sendable {
    enum Selection: Sendable {
        /// `SELECT VALUE expression`.
        case value(SQLExpression)
        /// `SELECT projection, …`: an object built in projection order.
        case projections([SQLProjection])
    }

    enum Source: Sendable {
        /// The top-level `FROM 'topic/filter'`.
        case topic(String)
        /// A nested query's `FROM expression`.
        case expression(SQLExpression)
    }

    let selection: Selection
    let source: Source
    let condition: SQLExpression?

    /// Whether evaluating SELECT or WHERE reads the payload.
    var readsDocument: Bool {
        if condition?.readsDocument ?? false { return true }
        switch selection {
        case .value(let expression): return expression.readsDocument
        case .projections(let projections):
            return projections.contains { projection in
                switch projection {
                case .all, .allOf: true
                case .expression(let expression, _): expression.readsDocument
                }
            }
        }
    }
}

/// One item of a SELECT list.
enum SQLProjection: Sendable {
    /// `*`: the members of the document; with `AS name`, the document under one key.
    case all(alias: String?)
    /// `path.*`: the members of an inner object.
    case allOf(SQLExpression)
    /// `expression [AS name]`.
    case expression(SQLExpression, name: String)
}
