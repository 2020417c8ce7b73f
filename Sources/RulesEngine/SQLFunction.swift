/// The built-in functions of AWS IoT SQL that Thingport evaluates.
///
/// Supported: `abs`, `accountid`, `acos`, `asin`, `atan`, `atan2`, `bitand`, `bitnot`,
/// `bitor`, `bitxor`, `cast` (parsed as its own syntax), `ceil`, `chr`, `clientid`,
/// `concat`, `cos`, `cosh`, `decode`, `encode`, `endswith`, `exp`, `floor`, `get`,
/// `indexof`, `isNull`, `isUndefined`, `length`, `ln`, `log`, `lower`, `lpad`, `ltrim`,
/// `md5`, `mod`, `nanvl`, `newuuid`, `numbytes`, `parse_time`, `power`, `principal`,
/// `rand`, `regexp_matches`, `regexp_replace`, `regexp_substr`, `remainder`, `replace`,
/// `round`, `rpad`, `rtrim`, `sha1`, `sha224`, `sha256`, `sha384`, `sha512`, `sign`, `sin`,
/// `sinh`, `sql_version`, `sqrt`, `startswith`, `substring`, `tan`, `tanh`,
/// `time_to_epoch`, `timestamp`, `topic`, `traceid`, `transform`, `trim`, `trunc`, `upper`.
///
/// Not supported, rejected when the statement is parsed: the functions that call other
/// AWS services (`aws_lambda`, `get_dynamodb`, `get_secret`, `get_thing_shadow`,
/// `get_registry_data`, `machinelearning_predict`), `get_mqtt_property` and `md2`.
/// Names are case-insensitive (`isNull`, `Round`). A call with the wrong number of
/// arguments evaluates to `Undefined`, as AWS documents for invalid arguments.
enum SQLFunction: String, Sendable, CaseIterable {
    case abs, accountid, acos, asin, atan, atan2, bitand, bitnot, bitor, bitxor, ceil, chr, clientid
    case concat, cos, cosh, decode, encode, endswith, exp, floor, get, indexof, isnull, isundefined
    case length, ln, log, lower, lpad, ltrim, md5, mod, nanvl, newuuid, numbytes
    case parse_time, power, principal, rand, regexp_matches, regexp_replace, regexp_substr
    case remainder, replace, round, rpad, rtrim, sha1, sha224, sha256, sha384, sha512, sign
    case sin, sinh, sql_version, sqrt, startswith, substring, tan, tanh, time_to_epoch
    case timestamp, topic, traceid, transform, trim, trunc, upper

    /// AWS functions that exist but that Thingport cannot evaluate.
    static let unsupported: Set<String> = [
        "aws_lambda", "get_dynamodb", "get_secret", "get_thing_shadow", "get_registry_data",
        "machinelearning_predict", "get_mqtt_property", "md2",
    ]

    /// The function named `name`, in any case.
    init?(name: String) {
        self.init(rawValue: name.lowercased())
    }

    /// How many arguments the function takes.
    var arity: ClosedRange<Int> {
        switch self {
        case .accountid, .clientid, .newuuid, .principal, .rand, .sql_version, .timestamp, .traceid: 0...0
        case .topic: 0...1
        case .concat: 0...Int.max
        case .atan2, .bitand, .bitor, .bitxor, .decode, .encode, .endswith, .get, .indexof, .lpad, .mod, .nanvl,
            .power, .regexp_matches, .regexp_substr, .remainder, .rpad, .startswith, .time_to_epoch, .trunc:
            2...2
        case .parse_time, .substring: 2...3
        case .regexp_replace, .replace, .transform: 3...3
        default: 1...1
        }
    }

    /// Whether the function needs SQL version 2016-03-23.
    var requiresV2: Bool {
        switch self {
        case .decode, .encode, .indexof, .isundefined, .length, .numbytes, .parse_time, .time_to_epoch, .transform:
            true
        default:
            false
        }
    }
}

/// A call of a built-in function, with what the parser could prepare.
struct SQLFunctionCall: Sendable {
    let function: SQLFunction
    let arguments: [SQLExpression]
    /// The compiled pattern of a `regexp_*` call whose pattern is a string literal; `nil`
    /// inside when that literal is not a valid pattern.
    let literalPattern: SQLRegex.Compiled?
    /// Whether `encode`'s first argument is `*`: the raw payload bytes are encoded.
    let encodesRawPayload: Bool
}
