#include "cli/SignCommand.h"

#include "cli/ArgParser.h"
#include "cli/CliIo.h"
#include "cli/ExitCodes.h"
#include "cli/KeySpecOptions.h"
#include "cli/KeysCommand.h"
#include "core/model/SigningDocument.h"

#include <QDateTime>

namespace jwti {

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
    SigningDocument document;
    const QString payloadArg = parser.positionals().first();
    const QByteArray payloadText = payloadArg == QLatin1String("-") ? readAllInput(in) : payloadArg.toUtf8();
    document.setText(SigningDocument::Part::Payload, payloadText.trimmed());
    document.setText(SigningDocument::Part::Header, parser.value(QStringLiteral("header")).toUtf8());
    document.setAlg(parser.value(QStringLiteral("alg")));
    // --iat and --exp-in replace the payload's own iat/exp in place, or append them.
    std::vector<std::pair<QString, qint64>> times;
    if (parser.isSet(QStringLiteral("iat")))
        times.emplace_back(QStringLiteral("iat"), now);
    if (parser.isSet(QStringLiteral("exp-in"))) {
        const auto seconds = parseInteger(parser.value(QStringLiteral("exp-in")));
        if (!seconds)
            return parser.usageError(err, QStringLiteral("--exp-in needs a number of seconds"));
        times.emplace_back(QStringLiteral("exp"), now + *seconds);
    }
    // The payload is refused before any key is read (a key may sit in the keychain).
    if (std::optional<SigningError> error = document.partError(SigningDocument::Part::Payload))
        return parser.fail(err, terminalSafe(error->message), ExitUsage);
    if (!times.empty()) {
        if (!document.json(SigningDocument::Part::Payload).root->isObject())
            return parser.usageError(err, QStringLiteral("--iat and --exp-in need a JSON object payload"));
        for (const auto& [name, value] : times) {
            if (auto set = document.setMember(SigningDocument::Part::Payload, name, QByteArray::number(value)); !set)
                return parser.fail(err, set.message(), ExitUsage);
        }
    }

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
    Result<Key> key = SigningDocument::chooseSigningKey(loadedKeys, kid);
    if (!key) {
        if (key.code() == ErrorCode::KeyAmbiguous)
            return parser.usageError(err, terminalSafe(key.message()));
        return parser.fail(err, terminalSafe(key.message()), ExitUsage);
    }
    // --kid, else the key's own kid (a JWK's, or the keystore's) unless --header names one itself; a key without a
    // kid of its own signs without one.
    const bool keyHasKid = !key->metadata.kid.isEmpty();
    document.setKey(std::move(key).value());
    document.setKidPolicy(!kid.isEmpty() ? KidPolicy::Typed : keyHasKid ? KidPolicy::FromKey : KidPolicy::None, kid);
    if (!document.sign()) {
        const SigningError& error = *document.error();
        return parser.fail(err, terminalSafe(error.message), exitCodeForError(error.code));
    }
    out << QString::fromLatin1(document.token()) << '\n';
    return ExitOk;
}

} // namespace jwti
