#include "cli/KeysCommand.h"

#include "cli/ArgParser.h"
#include "cli/CliIo.h"
#include "cli/ExitCodes.h"
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
#include "core/crypto/KeyPolicy.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Jwk.h"
#include "keystore/KeyIndex.h"
#include "keystore/KeyStore.h"
#include "keystore/KeystoreChecker.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>
#include <optional>

namespace jwti {

namespace {

// The command line has no running event loop (main() never calls exec()), so each keychain call runs a local one
// until its answer arrives. This is for the command line only; the window never waits like this.
constexpr std::chrono::seconds keychainTimeout(30);

// guard: how long the whole call may take before the command gives up on it; each keychain call also has its own
// timeout (keychainTimeout), so a batch of many calls gets more.
template <typename T, typename Start>
Result<T> waitFor(Start start, std::chrono::seconds guard = keychainTimeout + std::chrono::seconds(5))
{
    QEventLoop loop;
    std::optional<Result<T>> answer;
    QObject context; // destroyed on return: an abandoned call can no longer reach this frame
    start(&context, [&](Result<T> result) {
        answer.emplace(std::move(result));
        loop.quit();
    });
    if (!answer) {
        QTimer::singleShot(guard, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!answer)
        return Error{ErrorCode::Keychain, keychainProblemMessage(KeychainProblem::TimedOut)};
    return std::move(*answer);
}

void prepareStore(KeyStore& store)
{
    store.keychain().setTimeout(keychainTimeout);
}

QString shortDate(const QDateTime& time)
{
    return time.isValid() ? time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QStringLiteral("-");
}

int failWith(const ArgParser& parser, QTextStream& err, const Error& error)
{
    return parser.fail(err, terminalSafe(error.message), exitCodeForError(error.code));
}

int listKeys(const QStringList& args, QTextStream& out, QTextStream& err)
{
    ArgParser parser(QStringLiteral("keys list"));
    parser.addFlag(QStringLiteral("json"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (!parser.positionals().isEmpty())
        return parser.usageError(err, QStringLiteral("takes no arguments"));
    KeyStore store;
    if (auto loaded = store.reload(); !loaded)
        return failWith(parser, err, loaded.error());
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray keys;
        for (const KeyRecord& record : store.records())
            keys.append(record.toJson());
        out << terminalSafeJson(QString::fromUtf8(QJsonDocument(keys).toJson(QJsonDocument::Indented)));
        return ExitOk;
    }
    if (store.records().empty()) {
        out << "The key store is empty (" << store.indexPath() << ").\n";
        return ExitOk;
    }
    out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8  %9\n")
               .arg(QStringLiteral("ID"), -36)
               .arg(QStringLiteral("NAME"), -24)
               .arg(QStringLiteral("SET"), -12)
               .arg(QStringLiteral("USE"), -3)
               .arg(QStringLiteral("ALG"), -18)
               .arg(QStringLiteral("STATUS"), -11)
               .arg(QStringLiteral("CREATED"), -16)
               .arg(QStringLiteral("KID"), -43)
               .arg(QStringLiteral("THUMBPRINT"));
    for (const KeyRecord& record : store.records()) {
        out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8  %9\n")
                   .arg(terminalSafe(record.id), -36)
                   .arg(terminalSafe(record.name), -24)
                   .arg(terminalSafe(record.keySet), -12)
                   .arg(keyUseJwkName(record.use), -3)
                   .arg(terminalSafe(record.alg), -18)
                   .arg(record.deleting ? QStringLiteral("deleting") : keyStatusName(record.status), -11)
                   .arg(shortDate(record.created), -16)
                   .arg(terminalSafe(record.kid), -43)
                   .arg(record.thumbprint.isEmpty() ? QStringLiteral("-") : terminalSafe(record.thumbprint));
    }
    return ExitOk;
}

Result<KeyRecord> storeKey(KeyStore& store, const Key& key, const NewKeyOptions& options)
{
    return waitFor<KeyRecord>([&](QObject* context, auto done) { store.add(key, options, context, std::move(done)); });
}

void reportStored(QTextStream& out, const KeyRecord& record)
{
    out << "stored " << record.id << "  " << terminalSafe(record.name) << "  set " << terminalSafe(record.keySet)
        << "  " << keyUseJwkName(record.use) << "  " << terminalSafe(record.alg) << "  " << keyStatusName(record.status)
        << "  kid " << terminalSafe(record.kid) << "\n";
}

int importKeysCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err)
{
    ArgParser parser(QStringLiteral("keys import"));
    parser.addValue(QStringLiteral("name"));
    parser.addValue(QStringLiteral("kid"));
    parser.addValue(QStringLiteral("set"));
    parser.addValue(QStringLiteral("alg"));
    parser.addValue(QStringLiteral("passphrase-file"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (parser.positionals().size() != 1)
        return parser.usageError(err, QStringLiteral("expects one FILE (or - for standard input)"));
    const QString file = parser.positionals().constFirst();
    QByteArray data;
    if (file == QLatin1String("-")) {
        data = readAllInput(in);
    } else {
        auto bytes = readFileBytes(file);
        if (!bytes)
            return failWith(parser, err, bytes.error());
        data = std::move(bytes).value();
    }
    SecretBytes passphrase;
    if (parser.isSet(QStringLiteral("passphrase-file"))) {
        auto read = readSecretFile(parser.value(QStringLiteral("passphrase-file")), QStringLiteral("passphrase"));
        if (!read)
            return failWith(parser, err, read.error());
        passphrase = std::move(read).value();
    }
    auto imported = importKeys(data, passphrase);
    wipeBytes(data);
    if (!imported)
        return failWith(parser, err, imported.error());
    std::vector<Key> keys = std::move(imported).value();
    const QString kid = parser.value(QStringLiteral("kid"));
    if (keys.size() > 1 && !kid.isEmpty()) {
        // From a JWKS, --kid picks the one key to import.
        std::erase_if(keys, [&](const Key& key) { return key.metadata.kid != kid; });
        if (keys.empty())
            return failWith(
                parser, err,
                Error{ErrorCode::KeyNotFound, QStringLiteral("no key in %1 has the kid \"%2\"").arg(file, kid)});
    }
    if (keys.size() > 1 && parser.isSet(QStringLiteral("name")))
        return parser.usageError(err,
                                 QStringLiteral("--name names one key, but %1 holds %2").arg(file).arg(keys.size()));

    KeyStore store;
    prepareStore(store);
    std::vector<std::pair<Key, NewKeyOptions>> batch;
    for (const Key& key : keys) {
        NewKeyOptions options;
        options.name = parser.value(QStringLiteral("name"));
        options.keySet = parser.value(QStringLiteral("set"));
        options.alg = parser.value(QStringLiteral("alg"));
        options.kid = keys.size() == 1 ? kid : QString();
        options.source = file == QLatin1String("-") ? QStringLiteral("standard input") : file;
        batch.emplace_back(key, options);
    }
    // One keychain write per key, then one index transaction for all: the import is all or nothing.
    auto stored = waitFor<std::vector<KeyRecord>>(
        [&](QObject* context, auto done) { store.addMany(batch, context, std::move(done)); },
        keychainTimeout + std::chrono::seconds(5 + 2 * qint64(batch.size())));
    if (!stored) {
        err << "jwt-inspector keys import: "
            << (keys.size() == 1 ? QStringLiteral("the key was not stored")
                                 : QStringLiteral("none of the %1 keys was stored").arg(keys.size()))
            << ", and nothing was written: " << terminalSafe(stored.message()) << "\n";
        return exitCodeForError(stored.code());
    }
    for (const KeyRecord& record : *stored)
        reportStored(out, record);
    return ExitOk;
}

int generateCommand(const QStringList& args, QTextStream& out, QTextStream& err)
{
    ArgParser parser(QStringLiteral("keys generate"));
    parser.addValue(QStringLiteral("alg"));
    parser.addValue(QStringLiteral("bits"));
    parser.addValue(QStringLiteral("name"));
    parser.addValue(QStringLiteral("set"));
    parser.addValue(QStringLiteral("kid"));
    parser.addValue(QStringLiteral("curve"));
    parser.addValue(QStringLiteral("enc"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (!parser.positionals().isEmpty())
        return parser.usageError(err, QStringLiteral("takes no positional arguments"));
    KeyRequest request;
    request.alg = parser.value(QStringLiteral("alg"));
    request.curve = parser.value(QStringLiteral("curve"));
    request.enc = parser.value(QStringLiteral("enc"));
    if (request.alg.isEmpty())
        return parser.usageError(err, QStringLiteral("--alg is required"));
    if (!algUse(request.alg))
        return parser.usageError(
            err, QStringLiteral("\"%1\" is neither a signing nor a JWE key-management algorithm").arg(request.alg));
    if (parser.isSet(QStringLiteral("bits"))) {
        const auto parsed = parseInteger(parser.value(QStringLiteral("bits")));
        if (!parsed || *parsed <= 0 || *parsed > 16384)
            return parser.usageError(err, QStringLiteral("--bits needs a positive number"));
        request.bits = int(*parsed);
    }
    if (auto spec = keySpecForRequest(request); !spec)
        return failWith(parser, err, spec.error());
    auto key = generateKeyForRequest(request);
    if (!key)
        return failWith(parser, err, key.error());
    NewKeyOptions options;
    options.name = parser.value(QStringLiteral("name"));
    options.keySet = parser.value(QStringLiteral("set"));
    options.kid = parser.value(QStringLiteral("kid"));
    options.alg = request.alg;
    options.enc = request.enc;
    options.source = QStringLiteral("generated");
    KeyStore store;
    prepareStore(store);
    auto stored = storeKey(store, *key, options);
    if (!stored) {
        return parser.fail(
            err,
            QStringLiteral("the key was not stored, and nothing was written: %1").arg(terminalSafe(stored.message())),
            exitCodeForError(stored.code()));
    }
    reportStored(out, *stored);
    return ExitOk;
}

int exportCommand(const QStringList& args, QTextStream& out, QTextStream& err)
{
    ArgParser parser(QStringLiteral("keys export"));
    parser.addValue(QStringLiteral("format"));
    parser.addFlag(QStringLiteral("private"));
    parser.addValue(QStringLiteral("passphrase-file"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (parser.positionals().size() != 1)
        return parser.usageError(err, QStringLiteral("expects one ID or KID"));
    const QString format
        = parser.isSet(QStringLiteral("format")) ? parser.value(QStringLiteral("format")) : QStringLiteral("pem");
    if (format != QLatin1String("pem") && format != QLatin1String("jwk") && format != QLatin1String("jwks"))
        return parser.usageError(err, QStringLiteral("--format is pem, jwk or jwks, not \"%1\"").arg(format));
    const bool wantPrivate = parser.isSet(QStringLiteral("private"));
    if (!wantPrivate && parser.isSet(QStringLiteral("passphrase-file")))
        return parser.usageError(err, QStringLiteral("--passphrase-file only goes with --private"));

    KeyStore store;
    prepareStore(store);
    if (auto loaded = store.reload(); !loaded)
        return failWith(parser, err, loaded.error());
    auto record = store.resolve(parser.positionals().constFirst());
    if (!record)
        return failWith(parser, err, record.error());

    if (!wantPrivate) {
        if (format == QLatin1String("jwks")) {
            out << terminalSafeJson(QString::fromUtf8(store.keySetJwks(record->keySet))) << "\n";
            return ExitOk;
        }
        auto key = record->publicKey();
        if (!key) {
            return failWith(
                parser, err,
                Error{key.code(), key.message() + QStringLiteral("; export it with --private --format jwk")});
        }
        // A PEM is base64 and armour; a JWK carries the kid and name as they were imported.
        out << terminalSafeJson(
            QString::fromUtf8(format == QLatin1String("pem") ? exportPublicPem(*key) : exportJwk(*key)));
        if (format == QLatin1String("jwk"))
            out << "\n";
        return ExitOk;
    }

    if (format == QLatin1String("jwks"))
        return parser.usageError(err, QStringLiteral("a JWKS holds public keys only; use --format pem or jwk"));
    SecretBytes passphrase;
    if (format == QLatin1String("pem")) {
        if (!parser.isSet(QStringLiteral("passphrase-file"))) {
            return parser.usageError(err,
                                     QStringLiteral("a private PEM is written encrypted: give "
                                                    "--passphrase-file F (or --format jwk for an unencrypted JWK)"));
        }
        auto read = readSecretFile(parser.value(QStringLiteral("passphrase-file")), QStringLiteral("passphrase"));
        if (!read)
            return failWith(parser, err, read.error());
        passphrase = std::move(read).value();
    }
    auto key
        = waitFor<Key>([&](QObject* context, auto done) { store.loadPrivate(record->id, context, std::move(done)); });
    if (!key)
        return failWith(parser, err, key.error());
    if (format == QLatin1String("pem")) {
        auto pem = exportPrivatePem(*key, passphrase);
        if (!pem)
            return failWith(parser, err, pem.error());
        out << QString::fromLatin1(*pem);
        wipeBytes(pem.value());
        return ExitOk;
    }
    err << "jwt-inspector keys export: warning: the private key is written unencrypted; keep it out of logs and "
           "shell history\n";
    QByteArray jwk = exportJwk(*key, true);
    out << terminalSafeJson(QString::fromUtf8(jwk)) << "\n";
    wipeBytes(jwk);
    return ExitOk;
}

int rotateCommand(const QStringList& args, QTextStream& out, QTextStream& err)
{
    ArgParser parser(QStringLiteral("keys rotate"));
    parser.addValue(QStringLiteral("bits"));
    parser.addValue(QStringLiteral("retire-after-days"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (parser.positionals().size() != 1)
        return parser.usageError(err, QStringLiteral("expects one key SET"));
    const QString keySet = parser.positionals().constFirst();
    qint64 days = kDefaultRetireAfterDays;
    if (parser.isSet(QStringLiteral("retire-after-days"))) {
        const auto parsed = parseInteger(parser.value(QStringLiteral("retire-after-days")));
        if (!parsed || *parsed < 0 || *parsed > kMaxRetireAfterDays)
            return parser.usageError(
                err, QStringLiteral("--retire-after-days needs a number of days (0 to %1)").arg(kMaxRetireAfterDays));
        days = *parsed;
    }
    KeyStore store;
    prepareStore(store);
    if (auto loaded = store.reload(); !loaded)
        return failWith(parser, err, loaded.error());
    const auto active = store.activeKey(keySet);
    if (!active) {
        return failWith(parser, err,
                        Error{ErrorCode::KeyNotFound, QStringLiteral("key set \"%1\" has no active key").arg(keySet)});
    }
    int bits = 0;
    if (parser.isSet(QStringLiteral("bits"))) {
        const auto parsed = parseInteger(parser.value(QStringLiteral("bits")));
        if (!parsed || *parsed <= 0 || *parsed > 16384)
            return parser.usageError(err, QStringLiteral("--bits needs a positive number"));
        bits = int(*parsed);
    }
    // The new key keeps the old one's strength (and curve, and enc) unless asked otherwise.
    Key replaced;
    if (auto old = active->publicKey())
        replaced = std::move(old).value();
    const KeyRequest request = rotationRequest(active->alg, replaced, active->enc, bits);
    auto key = generateKeyForRequest(request);
    if (!key)
        return failWith(parser, err, key.error());
    const QDateTime retireAfter = retireAfterDate(QDateTime::currentDateTimeUtc(), int(days));
    auto rotated = waitFor<KeyRecord>(
        [&](QObject* context, auto done) { store.rotate(keySet, *key, retireAfter, context, std::move(done)); });
    if (!rotated) {
        return parser.fail(err, QStringLiteral("the set is unchanged: %1").arg(terminalSafe(rotated.message())),
                           exitCodeForError(rotated.code()));
    }
    out << "rotated set " << terminalSafe(keySet) << ": new active key " << rotated->id << " (kid "
        << terminalSafe(rotated->kid) << "); " << terminalSafe(active->name) << " (kid " << terminalSafe(active->kid)
        << ") is verify-only until " << shortDate(retireAfter) << " UTC\n";
    out << "publish the set's JWKS: jwt-inspector keys export " << rotated->id << " --format jwks\n";
    return ExitOk;
}

int retireCommand(const QStringList& args, QTextStream& out, QTextStream& err)
{
    ArgParser parser(QStringLiteral("keys retire"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (parser.positionals().size() != 1)
        return parser.usageError(err, QStringLiteral("expects one ID or KID"));
    KeyStore store;
    if (auto loaded = store.reload(); !loaded)
        return failWith(parser, err, loaded.error());
    auto record = store.resolve(parser.positionals().constFirst());
    if (!record)
        return failWith(parser, err, record.error());
    if (auto retired = store.retire(record->id); !retired)
        return failWith(parser, err, retired.error());
    out << "retired " << terminalSafe(record->id) << " (kid " << terminalSafe(record->kid)
        << "): no longer in the JWKS of set " << terminalSafe(record->keySet) << "\n";
    return ExitOk;
}

int deleteCommand(const QStringList& args, QTextStream& out, QTextStream& err)
{
    ArgParser parser(QStringLiteral("keys delete"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (parser.positionals().size() != 1)
        return parser.usageError(err, QStringLiteral("expects one ID or KID"));
    KeyStore store;
    prepareStore(store);
    if (auto loaded = store.reload(); !loaded)
        return failWith(parser, err, loaded.error());
    auto record = store.resolve(parser.positionals().constFirst());
    if (!record)
        return failWith(parser, err, record.error());
    auto removed
        = waitFor<void>([&](QObject* context, auto done) { store.remove(record->id, context, std::move(done)); });
    if (!removed)
        return failWith(parser, err, removed.error());
    out << "deleted " << terminalSafe(record->id) << " (" << terminalSafe(record->name) << ", kid "
        << terminalSafe(record->kid) << ")\n";
    return ExitOk;
}

int checkCommand(const QStringList& args, QTextStream& out, QTextStream& err)
{
    ArgParser parser(QStringLiteral("keys check"));
    parser.addFlag(QStringLiteral("repair"));
    parser.addFlag(QStringLiteral("remove-orphans"));
    parser.addValue(QStringLiteral("grace"));
    parser.addFlag(QStringLiteral("repair-index"));
    if (!parser.parse(args, err))
        return ExitUsage;
    if (!parser.positionals().isEmpty())
        return parser.usageError(err, QStringLiteral("takes no arguments"));
    if (parser.isSet(QStringLiteral("repair-index"))) {
        // Only on this explicit request is a damaged index rewritten, and only after a backup copy of it.
        auto repaired = KeyIndex::repair(KeyIndex::defaultPath());
        if (!repaired)
            return failWith(parser, err, repaired.error());
        if (!repaired->backupPath.isEmpty())
            out << "backup of the damaged index: " << repaired->backupPath << "\n";
        for (const QString& action : repaired->actions)
            out << "index: " << terminalSafe(action) << "\n";
        if (!repaired->backupPath.isEmpty())
            out << "index: kept " << repaired->kept << " key(s)\n";
    }
    const bool repair = parser.isSet(QStringLiteral("repair"));
    RepairOptions options;
    options.removeOrphans = parser.isSet(QStringLiteral("remove-orphans"));
    if (options.removeOrphans && !repair)
        return parser.usageError(err, QStringLiteral("--remove-orphans goes with --repair"));
    if (parser.isSet(QStringLiteral("grace"))) {
        const auto seconds = parseInteger(parser.value(QStringLiteral("grace")));
        if (!seconds || *seconds < 0)
            return parser.usageError(err, QStringLiteral("--grace needs a number of seconds"));
        options.graceSeconds = *seconds;
    }
    KeyStore store;
    prepareStore(store);
    auto found = waitFor<std::vector<KeystoreFinding>>(
        [&](QObject* context, auto done) { KeystoreChecker::check(store, context, std::move(done)); });
    if (!found)
        return failWith(parser, err, found.error());
    if (found->empty()) {
        out << "consistent: " << store.records().size() << " index entries, every secret in the keychain and no "
            << "keychain item without an entry\n";
        return ExitOk;
    }
    for (const KeystoreFinding& finding : *found)
        out << terminalSafe(finding.describe()) << "\n";
    if (!repair) {
        out << found->size() << " inconsistenc" << (found->size() == 1 ? "y" : "ies")
            << "; jwt-inspector keys check --repair mends them (orphaned secrets are adopted as keys of set "
               "\"recovered\", or removed with --remove-orphans)\n";
        return ExitInvalid;
    }
    auto repaired = waitFor<QStringList>([&](QObject* context, auto done) {
        KeystoreChecker::repair(store, *found, options, context, std::move(done));
    });
    if (!repaired)
        return failWith(parser, err, repaired.error());
    for (const QString& action : *repaired)
        out << "repair: " << terminalSafe(action) << "\n";
    auto again = waitFor<std::vector<KeystoreFinding>>(
        [&](QObject* context, auto done) { KeystoreChecker::check(store, context, std::move(done)); });
    if (!again)
        return failWith(parser, err, again.error());
    if (again->empty()) {
        out << "consistent now\n";
        return ExitOk;
    }
    out << again->size() << " inconsistenc" << (again->size() == 1 ? "y remains" : "ies remain") << "\n";
    return ExitInvalid;
}

QString usage()
{
    return QStringLiteral(
        "Usage:\n"
        "  jwt-inspector keys list [--json]\n"
        "  jwt-inspector keys import FILE|- [--name NAME] [--kid KID] [--set SET] [--alg ALG] [--passphrase-file F]\n"
        "  jwt-inspector keys generate --alg ALG [--bits N] [--curve C] [--enc ENC] [--name NAME] [--set SET]\n"
        "                              [--kid KID]\n"
        "  jwt-inspector keys export ID|KID [--format pem|jwk|jwks] [--private [--passphrase-file F]]\n"
        "  jwt-inspector keys rotate SET [--bits N] [--retire-after-days D]\n"
        "  jwt-inspector keys retire ID|KID\n"
        "  jwt-inspector keys delete ID|KID\n"
        "  jwt-inspector keys check [--repair [--remove-orphans]] [--grace S] [--repair-index]\n"
        "Private keys and secrets live in the OS keychain (Secret Service); the index of names, kids and\n"
        "public keys in the application's data folder. Keychain failures exit with 3.\n"
        "A key serves signing (a JWS --alg) or encryption (a JWE key-management --alg: RSA-OAEP-256, ECDH-ES\n"
        "with --curve P-256|P-384|P-521|X25519|X448, A128KW, dir with --enc ENC, PBES2-HS256+A128KW, ...), never\n"
        "both; a JWK's \"use\"/\"key_ops\" decide on import. A key set holds keys of one use; encryption keys go\n"
        "to set \"encryption\" unless --set names another.\n");
}

} // namespace

int runKeysCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err)
{
    if (args.isEmpty() || args.constFirst() == QLatin1String("--help") || args.constFirst() == QLatin1String("-h")
        || args.constFirst() == QLatin1String("help")) {
        (args.isEmpty() ? err : out) << usage();
        return args.isEmpty() ? ExitUsage : ExitOk;
    }
    const QString action = args.constFirst();
    const QStringList rest = args.mid(1);
    if (rest.contains(QLatin1String("--help")) || rest.contains(QLatin1String("-h"))) {
        out << usage();
        return ExitOk;
    }
    if (action == QLatin1String("list"))
        return listKeys(rest, out, err);
    if (action == QLatin1String("import"))
        return importKeysCommand(rest, in, out, err);
    if (action == QLatin1String("generate"))
        return generateCommand(rest, out, err);
    if (action == QLatin1String("export"))
        return exportCommand(rest, out, err);
    if (action == QLatin1String("rotate"))
        return rotateCommand(rest, out, err);
    if (action == QLatin1String("retire"))
        return retireCommand(rest, out, err);
    if (action == QLatin1String("delete"))
        return deleteCommand(rest, out, err);
    if (action == QLatin1String("check"))
        return checkCommand(rest, out, err);
    err << "jwt-inspector keys: unknown action \"" << terminalSafe(action) << "\"\n" << usage();
    return ExitUsage;
}

Result<std::vector<Key>> loadKeystoreKeys(const QString& kid, const QString& alg, QStringList* skipped)
{
    KeyStore store;
    prepareStore(store);
    KeyQuery query;
    query.kid = kid;
    query.alg = alg;
    auto loaded
        = waitFor<LoadedKeys>([&](QObject* context, auto done) { store.loadKeys(query, context, std::move(done)); });
    if (!loaded)
        return loaded.error();
    if (skipped) {
        for (const Error& error : loaded->skipped)
            skipped->append(error.message);
    }
    return std::move(loaded->keys);
}

Result<Key> loadKeystoreSigningKey(const QString& alg, const QString& kid, const QString& keySet)
{
    KeyStore store;
    prepareStore(store);
    if (auto loaded = store.reload(); !loaded)
        return loaded.error();
    auto record = store.selectSigningKey(alg, kid, keySet);
    if (!record)
        return record.error();
    return waitFor<Key>([&](QObject* context, auto done) { store.loadSigningKey(*record, context, std::move(done)); });
}

Result<std::vector<Key>> loadKeystoreDecryptionKeys(const QString& kid, const QString& keySet, QStringList* skipped)
{
    KeyStore store;
    prepareStore(store);
    KeyQuery query;
    query.kid = kid;
    query.keySet = keySet;
    query.use = KeyUse::Encryption;
    query.purpose = KeyPurpose::Sign; // the private part or secret: what decrypting needs
    auto loaded
        = waitFor<LoadedKeys>([&](QObject* context, auto done) { store.loadKeys(query, context, std::move(done)); });
    if (!loaded)
        return loaded.error();
    if (skipped) {
        for (const Error& error : loaded->skipped)
            skipped->append(error.message);
    }
    return std::move(loaded->keys);
}

} // namespace jwti
