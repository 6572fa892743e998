#include "cli/SignCommand.h"

#include "cli/ArgParser.h"
#include "cli/CliIo.h"
#include "cli/ExitCodes.h"
#include "cli/KeySpecOptions.h"
#include "cli/KeysCommand.h"
#include "core/jose/Json.h"
#include "core/jose/Jws.h"

#include <QDateTime>

namespace jwti {
namespace {

// The payload compact, members in the order written and numbers as written; iat/exp replaced in place when present,
// appended otherwise.
QByteArray buildPayload(const JsonValue& root, const std::vector<std::pair<QString, qint64>>& times)
{
    if (!root.isObject())
        return root.toCompactJson();
    QByteArray json = "{";
    std::vector<bool> used(times.size(), false);
    bool first = true;
    auto append = [&json, &first](const QString& name, const QByteArray& value) {
        if (!first)
            json += ',';
        first = false;
        json += jsonQuote(name) + ':' + value;
    };
    for (const JsonMember& member : root.members) {
        bool replaced = false;
        for (std::size_t i = 0; i < times.size(); ++i) {
            if (member.name == times[i].first) {
                // A repeated member is written once.
                if (!used[i])
                    append(member.name, QByteArray::number(times[i].second));
                used[i] = true;
                replaced = true;
            }
        }
        if (!replaced)
            append(member.name, member.value.toCompactJson());
    }
    for (std::size_t i = 0; i < times.size(); ++i) {
        if (!used[i])
            append(times[i].first, QByteArray::number(times[i].second));
    }
    json += '}';
    return json;
}

} // namespace

QString signHelp()
{
    return QStringLiteral(
               "Usage: jwt-inspector sign KEYSPEC --alg ALG [OPTIONS] (PAYLOAD_JSON | -)\n"
               "\n"
               "Signs a JSON payload and prints the compact token. The payload's members keep their order and\n"
               "numbers stay as written. The header is alg, then typ \"JWT\" (unless --header sets typ), then kid,\n"
               "then --header's members in their order. \"-\" reads the payload from standard input.\n"
               "\n")
        + KeySpecOptions::helpText()
        + QStringLiteral("\n"
                         "Options:\n"
                         "  --alg ALG        the JWS algorithm (required; none is refused)\n"
                         "  --header JSON    extra header members, a JSON object (its alg must equal --alg)\n"
                         "  --kid KID        the header's kid (also picks the key from a JWKS or the key store);\n"
                         "                   default: the key's own kid, if it has one\n"
                         "  --set SET        with --keystore: sign with the active key of this key set (default:\n"
                         "                   the one set whose active key serves --alg)\n"
                         "  --iat            add \"iat\": now\n"
                         "  --exp-in S       add \"exp\": now + S seconds\n"
                         "  --now UNIX       the clock for --iat and --exp-in (default: now)\n"
                         "  --help           this text\n"
                         "\n"
                         "Exit: 0 signed, 2 bad usage, payload or key, 3 I/O or keychain failure.\n");
}

int runSignCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err)
{
    ArgParser parser(QStringLiteral("sign"));
    KeySpecOptions::add(parser);
    parser.addValue(QStringLiteral("alg"));
    parser.addValue(QStringLiteral("header"));
    parser.addFlag(QStringLiteral("iat"));
    parser.addValue(QStringLiteral("exp-in"));
    parser.addValue(QStringLiteral("now"));
    parser.addValue(QStringLiteral("set"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (parser.helpRequested()) {
        out << signHelp();
        return ExitOk;
    }
    if (!parser.isSet(QStringLiteral("alg")))
        return parser.usageError(err, QStringLiteral("--alg is required"));
    if (parser.positionals().size() != 1)
        return parser.usageError(err, QStringLiteral("give the payload JSON (or \"-\" for standard input)"));

    qint64 now = QDateTime::currentSecsSinceEpoch();
    if (parser.isSet(QStringLiteral("now"))) {
        const auto value = parseInteger(parser.value(QStringLiteral("now")));
        if (!value)
            return parser.usageError(err, QStringLiteral("--now needs seconds since the epoch"));
        now = *value;
    }
    std::vector<std::pair<QString, qint64>> times;
    if (parser.isSet(QStringLiteral("iat")))
        times.emplace_back(QStringLiteral("iat"), now);
    if (parser.isSet(QStringLiteral("exp-in"))) {
        const auto seconds = parseInteger(parser.value(QStringLiteral("exp-in")));
        if (!seconds)
            return parser.usageError(err, QStringLiteral("--exp-in needs a number of seconds"));
        times.emplace_back(QStringLiteral("exp"), now + *seconds);
    }

    const QString payloadArg = parser.positionals().first();
    const QByteArray payloadText = payloadArg == QLatin1String("-") ? readAllInput(in) : payloadArg.toUtf8();
    const JsonDocument payloadJson = parseJson(payloadText.trimmed());
    if (!payloadJson.ok())
        return parser.fail(err,
                           QStringLiteral("the payload is not valid JSON: %1 at byte %2")
                               .arg(payloadJson.error ? payloadJson.error->message : QStringLiteral("empty"))
                               .arg(payloadJson.error ? payloadJson.error->offset : 0),
                           ExitUsage);
    if (!payloadJson.duplicates.empty())
        return parser.fail(err,
                           QStringLiteral("the payload repeats the member \"%1\" (RFC 7519 §4)")
                               .arg(payloadJson.duplicates.front().path),
                           ExitUsage);
    if (!times.empty() && !payloadJson.root->isObject())
        return parser.usageError(err, QStringLiteral("--iat and --exp-in need a JSON object payload"));
    const QByteArray payload = buildPayload(*payloadJson.root, times);

    const QString kid = parser.value(QStringLiteral("kid"));
    if (parser.isSet(QStringLiteral("set")) && !parser.isSet(QStringLiteral("keystore")))
        return parser.usageError(err, QStringLiteral("--set goes with --keystore"));
    std::vector<Key> loadedKeys;
    if (parser.isSet(QStringLiteral("keystore"))) {
        // The key store picks its one signing key itself (the same choice as the window's signing editor), and
        // reads only that key's private part from the keychain.
        for (const QString& other : {QStringLiteral("key"), QStringLiteral("secret"), QStringLiteral("secret-hex"),
                                     QStringLiteral("secret-b64"), QStringLiteral("secret-file")}) {
            if (parser.isSet(other))
                return parser.usageError(err,
                                         QStringLiteral("give one key source, not --keystore and --%1").arg(other));
        }
        auto key
            = loadKeystoreSigningKey(parser.value(QStringLiteral("alg")), kid, parser.value(QStringLiteral("set")));
        if (!key)
            return parser.fail(err, terminalSafe(key.message()), exitCodeForError(key.code()));
        loadedKeys.push_back(std::move(key).value());
    } else {
        auto keys = KeySpecOptions::load(parser);
        if (!keys) {
            if (keys.code() == ErrorCode::Usage)
                return parser.usageError(err, keys.message());
            return parser.fail(err, terminalSafe(keys.message()), exitCodeForError(keys.code()));
        }
        loadedKeys = std::move(keys).value();
    }
    std::vector<const Key*> candidates;
    for (const Key& key : loadedKeys) {
        if (loadedKeys.size() == 1 || kid.isEmpty() || key.metadata.kid == kid)
            candidates.push_back(&key);
    }
    if (candidates.empty())
        return parser.fail(err, QStringLiteral("no key with kid \"%1\"").arg(terminalSafe(kid)), ExitUsage);
    if (candidates.size() > 1) {
        // A PEM file with a certificate chain or a JWKS: prefer the one private key, if there is exactly one.
        std::vector<const Key*> privateKeys;
        for (const Key* key : candidates) {
            if (key->hasPrivate() || key->type() == KeyType::Oct)
                privateKeys.push_back(key);
        }
        if (privateKeys.empty()) {
            return parser.fail(err,
                               QStringLiteral("the key file holds %1 public keys or certificates and no private key: "
                                              "signing needs a private key")
                                   .arg(candidates.size()),
                               ExitUsage);
        }
        if (privateKeys.size() != 1)
            return parser.usageError(
                err, QStringLiteral("the key file holds %1 private keys: pick one with --kid").arg(privateKeys.size()));
        candidates = privateKeys;
    }
    const Key& key = *candidates.front();

    SignOptions options;
    options.alg = parser.value(QStringLiteral("alg"));
    options.headerJson = parser.value(QStringLiteral("header")).toUtf8();
    options.kid = kid;
    // Default to the key's own kid (a JWK's, or the keystore's) unless --header names one itself.
    if (kid.isEmpty() && !options.headerJson.contains("\"kid\""))
        options.kid = key.metadata.kid;
    auto token = signToken(payload, key, options);
    if (!token)
        return parser.fail(err, terminalSafe(token.message()), exitCodeForError(token.code()));
    out << QString::fromLatin1(*token) << '\n';
    return ExitOk;
}

} // namespace jwti
