#include "cli/DecodeCommand.h"

#include "cli/ArgParser.h"
#include "cli/CliIo.h"
#include "cli/ExitCodes.h"
#include "core/jose/Claims.h"
#include "core/jose/Findings.h"
#include "core/jose/Lessons.h"
#include "core/jose/Token.h"
#include "core/model/Verdict.h"

#include <QDateTime>

namespace jwti {
namespace {

QString explanationText(const std::optional<Explanation>& explanation)
{
    if (!explanation)
        return {};
    if (explanation->text.isEmpty())
        return explanation->title;
    return QStringLiteral("%1: %2").arg(explanation->title, explanation->text);
}

QString kindName(TokenKind kind)
{
    switch (kind) {
    case TokenKind::Empty:
        return QStringLiteral("empty");
    case TokenKind::Jws:
        return QStringLiteral("JWS");
    case TokenKind::Unsecured:
        return QStringLiteral("unsecured JWS");
    case TokenKind::Jwe:
        return QStringLiteral("JWE");
    case TokenKind::JwsJsonFlattened:
        return QStringLiteral("JWS JSON (flattened)");
    case TokenKind::JwsJsonGeneral:
        return QStringLiteral("JWS JSON (general)");
    case TokenKind::Malformed:
        return QStringLiteral("malformed");
    }
    return {};
}

bool isPrintableUtf8(const QByteArray& bytes)
{
    const QString text = QString::fromUtf8(bytes);
    if (text.toUtf8() != bytes)
        return false;
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control && c != QLatin1Char('\n') && c != QLatin1Char('\r')
            && c != QLatin1Char('\t'))
            return false;
    }
    return true;
}

const JsonValue* payloadObject(const Token& token)
{
    return token.claims();
}

QByteArray jsonString(const QString& text)
{
    return jsonQuote(text);
}

// decode --json: built as text so member order and numbers stay exactly as written (QJsonObject would sort and
// re-render them).
QByteArray jsonOutput(const Token& token, const std::vector<Finding>& findings, const Verdict& verdict, qint64 now)
{
    QByteArray json = "{\"kind\":" + jsonString(kindName(token.kind));
    const JsonValue* header = token.header(0);
    json += ",\"header\":" + (header ? header->toCompactJson() : QByteArray("null"));
    json += ",\"payload\":";
    if (token.kind == TokenKind::Jwe) {
        json += "null";
    } else if (const JsonValue* claims = payloadObject(token)) {
        json += claims->toCompactJson();
    } else if (token.payload.json && token.payload.json->ok()) {
        json += token.payload.json->root->toCompactJson();
    } else if (isPrintableUtf8(token.payload.decoded.bytes)) {
        json += jsonString(QString::fromUtf8(token.payload.decoded.bytes));
    } else {
        json += "{\"base64url\":" + jsonString(QString::fromLatin1(Base64Url::encode(token.payload.decoded.bytes)))
            + '}';
    }
    json += ",\"signature\":";
    if (!token.signatures.empty() && token.kind != TokenKind::Jwe)
        json += jsonString(QString::fromLatin1(token.signatures.front().signature.encoded));
    else
        json += "null";

    json += ",\"claims\":[";
    if (const JsonValue* claims = payloadObject(token)) {
        bool first = true;
        for (const JsonMember& member : claims->members) {
            if (!first)
                json += ',';
            first = false;
            json += "{\"name\":" + jsonString(member.name) + ",\"value\":" + member.value.toCompactJson();
            const auto explanation = explainClaim(member.name);
            json += ",\"explanation\":" + (explanation ? jsonString(explanationText(explanation)) : "null");
            if (isNumericDateClaim(member.name)) {
                if (auto seconds = numericDateSeconds(&member.value)) {
                    json += ",\"utc\":" + jsonString(formatUtc(*seconds));
                    json += ",\"relative\":" + jsonString(formatRelative(*seconds, now));
                }
            }
            json += '}';
        }
    }
    json += "],\"findings\":[";
    for (std::size_t i = 0; i < findings.size(); ++i) {
        if (i)
            json += ',';
        const Finding& finding = findings[i];
        json += "{\"severity\":" + jsonString(severityName(finding.severity)) + ",\"code\":" + jsonString(finding.code)
            + ",\"message\":" + jsonString(finding.message) + '}';
    }
    json += "],\"noise\":[";
    for (std::size_t i = 0; i < token.noise.size(); ++i) {
        if (i)
            json += ',';
        json += jsonString(token.noise[i].message);
    }
    json += "],\"errors\":[";
    for (std::size_t i = 0; i < token.errors.size(); ++i) {
        if (i)
            json += ',';
        const TokenError& error = token.errors[i];
        json += "{\"code\":" + jsonString(errorCodeName(error.code)) + ",\"segment\":"
            + QByteArray::number(error.segment) + ",\"offset\":" + QByteArray::number(error.range.begin)
            + ",\"message\":" + jsonString(error.message) + '}';
    }
    json += "],\"verdict\":" + verdictToJson(verdict);
    json += ",\"lessons\":" + lessonsJson(lessonsFor(token, std::nullopt, now)) + '}';
    return json;
}

// Text printed for people, every line through terminalSafe (line breaks kept, everything else escaped).
QString terminalSafeLines(const QString& text)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString& line : lines)
        line = terminalSafe(line);
    return lines.join(QLatin1Char('\n'));
}

void printJson(QTextStream& out, const QString& title, const JsonValue& value)
{
    out << title << ":\n" << prettyPrint(value).text << '\n';
}

void humanOutput(QTextStream& out, const Token& token, const std::vector<Finding>& findings, const Verdict& verdict,
                 qint64 now)
{
    out << "Token: " << kindName(token.kind) << '\n';
    for (const NoiseNote& note : token.noise)
        out << "Note: " << note.message << '\n';

    if (const JsonValue* header = token.header(0))
        printJson(out, QStringLiteral("Header"), *header);
    for (std::size_t i = 1; i < token.signatures.size(); ++i) {
        if (const JsonValue* other = token.header(int(i)))
            printJson(out, QStringLiteral("Header of signature %1").arg(i + 1), *other);
    }

    if (token.kind == TokenKind::Jwe) {
        out << "Payload: encrypted (" << token.payload.decoded.bytes.size() << " bytes of ciphertext)\n";
    } else if (token.payloadDetached) {
        out << "Payload: detached (RFC 7515 Appendix F)\n";
    } else if (token.payload.json && token.payload.json->root) {
        printJson(out, QStringLiteral("Payload"), *token.payload.json->root);
    } else if (isPrintableUtf8(token.payload.decoded.bytes)) {
        out << "Payload (text):\n" << QString::fromUtf8(token.payload.decoded.bytes) << '\n';
    } else {
        out << "Payload (" << token.payload.decoded.bytes.size()
            << " bytes, hex): " << QString::fromLatin1(token.payload.decoded.bytes.toHex()) << '\n';
    }

    if (const JsonValue* claims = payloadObject(token); claims && !claims->members.empty()) {
        out << "Claims:\n";
        for (const JsonMember& member : claims->members) {
            out << "  " << member.name << " = " << QString::fromUtf8(member.value.toCompactJson());
            if (isNumericDateClaim(member.name)) {
                if (auto seconds = numericDateSeconds(&member.value))
                    out << "  (" << formatUtc(*seconds) << ", " << formatRelative(*seconds, now) << ')';
            }
            out << '\n';
            if (const auto explanation = explainClaim(member.name))
                out << "      " << explanationText(explanation) << '\n';
        }
    }

    for (std::size_t i = 0; i < token.signatures.size() && token.kind != TokenKind::Jwe; ++i) {
        const QByteArray& signature = token.signatures[i].signature.decoded.bytes;
        out << (token.signatures.size() > 1 ? QStringLiteral("Signature %1").arg(i + 1) : QStringLiteral("Signature"))
            << ": " << signature.size() << " bytes";
        if (!signature.isEmpty())
            out << ", hex " << QString::fromLatin1(signature.toHex());
        out << '\n';
    }

    for (const TokenError& error : token.errors)
        out << "Error: " << error.message << '\n';
    // Decoding checks no signature: the verdict is not-verified at best, with the claim checks that need no key.
    out << "Verdict (no key given): " << verdict.headline << '\n';
    for (const VerdictCheck& check : verdict.checks) {
        if (verdict.outcome == VerdictOutcome::Malformed)
            break; // the token cannot be read: its errors above say why, no check ran
        if (check.state == CheckState::Passed || check.state == CheckState::Failed
            || (check.state == CheckState::NotChecked && check.name != QLatin1String("signature")
                && check.name != QLatin1String("key-fits")))
            out << "  " << check.name << ": " << checkStateName(check.state) << " - " << check.message << '\n';
    }
    if (!findings.empty()) {
        out << "Findings:\n";
        for (const Finding& finding : findings) {
            out << "  [" << severityName(finding.severity) << "] " << finding.code << ": " << finding.message;
            if (!finding.reference.isEmpty())
                out << " (" << finding.reference << ')';
            out << '\n';
        }
    }
}

} // namespace

QString decodeHelp()
{
    return QStringLiteral(
        "Usage: jwt-inspector decode [--json] [TOKEN|-]\n"
        "\n"
        "Shows a token without checking its signature: header and payload in the order written, claims with\n"
        "explanations and times (UTC and relative), the signature's bytes and security findings. Paste noise\n"
        "(a \"Bearer \" prefix, quotes, line breaks, spaces) is removed and reported. With no TOKEN or \"-\",\n"
        "the token is read from standard input.\n"
        "\n"
        "Options:\n"
        "  --json     one JSON object: header, payload, signature, claims, findings, noise, errors, the\n"
        "             unverified verdict (outcome not-verified, the claim checks that need no key; as verify --json)\n"
        "             and lessons (what this token reveals, how long it lives, where to keep it, who can sign)\n"
        "  --help     this text\n"
        "\n"
        "Exit: 0 decoded (findings do not change it), 2 when the token has any error (all that could be\n"
        "      decoded is still printed), is not a token at all, or bad usage.\n");
}

QString decodeJsonText(const QString& text, ErrorCode* problem)
{
    const Token token = decodeUnverified(text);
    if (problem)
        *problem = token.errors.empty() ? ErrorCode::Usage : token.errors.front().code;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    LintContext context;
    context.now = now;
    Expectations expectations;
    expectations.claims.now = now;
    return terminalSafeJson(
        QString::fromUtf8(jsonOutput(token, lintToken(token, context), computeVerdict(token, {}, expectations), now)));
}

int runDecodeCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err)
{
    ArgParser parser(QStringLiteral("decode"));
    parser.addFlag(QStringLiteral("json"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (parser.helpRequested()) {
        out << decodeHelp();
        return ExitOk;
    }
    if (parser.positionals().size() > 1)
        return parser.usageError(err, QStringLiteral("give one token"));

    QString text;
    if (parser.positionals().isEmpty() || parser.positionals().first() == QLatin1String("-"))
        text = QString::fromUtf8(readAllInput(in));
    else
        text = parser.positionals().first();

    const Token token = decodeUnverified(text);
    if (token.kind == TokenKind::Empty || token.kind == TokenKind::Malformed) {
        const QString reason = token.errors.empty()
            ? (token.kind == TokenKind::Empty ? QStringLiteral("no token given") : QStringLiteral("not a token"))
            : token.errors.front().message;
        return parser.fail(err, QStringLiteral("cannot decode: %1").arg(reason), ExitUsage);
    }

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    LintContext context;
    context.now = now;
    const std::vector<Finding> findings = lintToken(token, context);
    Expectations expectations;
    expectations.claims.now = now;
    const Verdict verdict = computeVerdict(token, {}, expectations);
    if (parser.isSet(QStringLiteral("json"))) {
        out << terminalSafeJson(QString::fromUtf8(jsonOutput(token, findings, verdict, now))) << '\n';
    } else {
        QString printed;
        QTextStream buffer(&printed);
        humanOutput(buffer, token, findings, verdict, now);
        buffer.flush();
        out << terminalSafeLines(printed);
    }
    // README: "2 usage or malformed input". Everything that could be decoded was printed above.
    return token.errors.empty() ? ExitOk : ExitUsage;
}

} // namespace jwti
