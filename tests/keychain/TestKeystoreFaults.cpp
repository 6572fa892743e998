// The key store under the faults of issue 13, against a real Secret Service and the built binary: parallel writer
// processes, every damaged-index shape, a read-only or missing data folder. Each case counts what it checks; the
// figures are printed (qInfo) so a run documents its trials.

#include "KeychainTestFixture.h"
#include "KeystoreTestSupport.h"
#include "core/crypto/KeyFormats.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwk.h"
#include "core/jose/Jws.h"
#include "keystore/KeyIndex.h"
#include "keystore/KeyStore.h"
#include "keystore/SecretPack.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

using namespace jwti;

class TestKeystoreFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void parallelImportProcessesKeepEveryKeyAndOneActive();
    void parallelRotationsLeaveOneActiveKeyAndNoOrphan();
    void windowStoreBesideCommandLineWritersLosesNothing();
    void mixedParallelWritersKeepTheSetConsistent();
    void damagedIndexIsRefusedNamedAndLeftUnchanged_data();
    void damagedIndexIsRefusedNamedAndLeftUnchanged();
    void unknownMembersSurviveARewrite();
    void repairIndexKeepsABackupAndTheGoodEntries();
    void dataFolderThatIsAFileOrReadOnlyLeavesNoSecretBehind_data();
    void dataFolderThatIsAFileOrReadOnlyLeavesNoSecretBehind();
    void missingDataFolderIsCreatedOwnerOnly();
    void keyringKilledDuringImportRotateAndDeleteLeavesNothingCheckCannotMend();
    void checkFindsAndRepairsOrphansAndMissingSecrets();
    void lockedCollectionMakesCheckAndGenerateExitThree();
    void secretPackRoundTripsAndRefusesDamage();
    void bulkImportSharesPacksAndEveryKeyStaysWhole();
    void keyringKilledDuringBulkImportOrPackedDeleteLeavesAllOrNothing();

private:
    QString writeHmacJwks(const QString& name, int count, std::vector<Key>* keys = nullptr) const;
    int packEntries() const;
    struct CliRun
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    QProcess* startCli(const QStringList& args) const;
    static CliRun finish(QProcess* process);
    CliRun runCli(const QStringList& args) const { return finish(startCli(args)); }
    QString indexPath() const { return m_home.path() + QStringLiteral("/data/jwt-inspector/keys.json"); }
    QJsonArray indexKeys() const;
    QStringList keychainEntries() const;
    QString writeKeyFile(const QString& name, const QString& alg) const;

    KeychainTestFixture m_keychain;
    QTemporaryDir m_home;
    QTemporaryDir m_files;
};

void TestKeystoreFaults::initTestCase()
{
    QVERIFY2(m_keychain.start(KeychainTestFixture::Activation::Forbidden), qPrintable(m_keychain.problem()));
    if (qEnvironmentVariableIsEmpty("JWTI_BINARY"))
        QFAIL("JWTI_BINARY is not set (run through ctest)");
    QVERIFY(m_home.isValid());
    QVERIFY(m_files.isValid());
}

void TestKeystoreFaults::init()
{
    QDir(m_home.path()).removeRecursively();
    QDir().mkpath(m_home.path() + QStringLiteral("/data"));
    // Every keychain item of earlier cases goes, so each case counts only its own.
    for (const QString& entry : keychainEntries()) {
        QProcess::execute(QStringLiteral("secret-tool"),
                          {QStringLiteral("clear"), QStringLiteral("user"), entry, QStringLiteral("server"),
                           QStringLiteral("jwt-inspector")});
    }
    QVERIFY(keychainEntries().isEmpty());
}

QProcess* TestKeystoreFaults::startCli(const QStringList& args) const
{
    auto* process = new QProcess;
    process->setProcessEnvironment(KeychainTestFixture::cliEnvironment(m_home.path()));
    process->start(qEnvironmentVariable("JWTI_BINARY"), args);
    return process;
}

TestKeystoreFaults::CliRun TestKeystoreFaults::finish(QProcess* process)
{
    CliRun run;
    // waitForFinished is false for a process that already finished while the event loop ran.
    if (process->state() != QProcess::NotRunning)
        process->waitForFinished(120000);
    if (process->state() == QProcess::NotRunning && process->exitStatus() == QProcess::NormalExit)
        run.exitCode = process->exitCode();
    run.out = QString::fromUtf8(process->readAllStandardOutput());
    run.err = QString::fromUtf8(process->readAllStandardError());
    delete process;
    return run;
}

QJsonArray TestKeystoreFaults::indexKeys() const
{
    QFile file(indexPath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("keys")).toArray();
}

// The "user" attribute (key/<id>) of every item the app's service holds, via secret-tool.
QStringList TestKeystoreFaults::keychainEntries() const
{
    QProcess tool;
    tool.start(
        QStringLiteral("secret-tool"),
        {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("server"), QStringLiteral("jwt-inspector")});
    tool.waitForFinished(30000);
    QStringList entries;
    const QString text = QString::fromUtf8(tool.readAllStandardOutput() + tool.readAllStandardError());
    for (const QString& line : text.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("attribute.user = ")))
            entries << line.mid(17).trimmed();
    }
    return entries;
}

QString TestKeystoreFaults::writeKeyFile(const QString& name, const QString& alg) const
{
    const QString path = m_files.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    const Key key = keystoretest::generate(alg);
    file.write(*exportPrivatePem(key));
    return path;
}

// Stores bytes under entry the way QtKeychain 0.13 does (attributes user, server, type; the value in base64).
static bool storeWithSecretTool(const QString& entry, const QByteArray& bytes)
{
    QProcess tool;
    tool.start(QStringLiteral("secret-tool"),
               {QStringLiteral("store"), QStringLiteral("--label=jwt-inspector"), QStringLiteral("user"), entry,
                QStringLiteral("server"), QStringLiteral("jwt-inspector"), QStringLiteral("type"),
                QStringLiteral("base64")});
    tool.write(bytes.toBase64());
    tool.closeWriteChannel();
    return tool.waitForFinished(30000) && tool.exitCode() == 0;
}

static int activeCount(const QJsonArray& keys, const QString& keySet)
{
    int active = 0;
    for (const QJsonValue& key : keys) {
        if (key[QStringLiteral("set")].toString() == keySet && key[QStringLiteral("status")].toString() == u"active")
            ++active;
    }
    return active;
}

void TestKeystoreFaults::parallelImportProcessesKeepEveryKeyAndOneActive()
{
    constexpr int trials = 3;
    constexpr int writers = 10;
    QStringList files;
    for (int i = 0; i < writers; ++i)
        files << writeKeyFile(QStringLiteral("k%1.pem").arg(i), QStringLiteral("ES256"));
    int keysKept = 0;
    for (int trial = 0; trial < trials; ++trial) {
        init();
        std::vector<QProcess*> processes;
        for (int i = 0; i < writers; ++i) {
            processes.push_back(startCli({QStringLiteral("keys"), QStringLiteral("import"), files[i],
                                          QStringLiteral("--name"), QStringLiteral("p%1").arg(i)}));
        }
        for (QProcess* process : processes) {
            const CliRun run = finish(process);
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        }
        const QJsonArray keys = indexKeys();
        QCOMPARE(keys.size(), writers);
        QCOMPARE(activeCount(keys, QStringLiteral("default")), 1);
        QCOMPARE(keychainEntries().size(), writers);
        keysKept += keys.size();
    }
    qInfo("parallel imports: %d trials of %d processes, %d of %d keys kept, one active key each time", trials, writers,
          keysKept, trials * writers);
}

void TestKeystoreFaults::parallelRotationsLeaveOneActiveKeyAndNoOrphan()
{
    QCOMPARE(runCli({QStringLiteral("keys"), QStringLiteral("generate"), QStringLiteral("--alg"),
                     QStringLiteral("ES256"), QStringLiteral("--set"), QStringLiteral("api")})
                 .exitCode,
             0);
    constexpr int rotators = 4;
    constexpr int deleters = 0;
    Q_UNUSED(deleters);
    std::vector<QProcess*> processes;
    for (int i = 0; i < rotators; ++i)
        processes.push_back(startCli({QStringLiteral("keys"), QStringLiteral("rotate"), QStringLiteral("api")}));
    int succeeded = 0;
    for (QProcess* process : processes) {
        const CliRun run = finish(process);
        QVERIFY2(run.exitCode == 0 || run.err.contains(QLatin1String("changed during the rotation")),
                 qPrintable(run.err));
        succeeded += run.exitCode == 0 ? 1 : 0;
    }
    QVERIFY(succeeded >= 1);
    const QJsonArray keys = indexKeys();
    QCOMPARE(keys.size(), 1 + succeeded);
    QCOMPARE(activeCount(keys, QStringLiteral("api")), 1);
    // A rotation that lost the race removed the secret it had written: every keychain item has its entry.
    QCOMPARE(keychainEntries().size(), keys.size());
    qInfo("parallel rotations: %d processes, %d rotated, %d refused (set changed), 1 active key, %lld keychain items "
          "for %lld entries",
          rotators, succeeded, rotators - succeeded, qlonglong(keychainEntries().size()), qlonglong(keys.size()));
}

void TestKeystoreFaults::windowStoreBesideCommandLineWritersLosesNothing()
{
    constexpr int writers = 5;
    std::vector<QProcess*> processes;
    for (int i = 0; i < writers; ++i) {
        processes.push_back(startCli({QStringLiteral("keys"), QStringLiteral("generate"), QStringLiteral("--alg"),
                                      QStringLiteral("HS256"), QStringLiteral("--set"), QStringLiteral("shared")}));
    }
    // The window's store, in this process, adds keys to the same set while the processes run.
    KeyStore window(indexPath());
    NewKeyOptions options;
    options.keySet = QStringLiteral("shared");
    for (int i = 0; i < 3; ++i) {
        const Key key = keystoretest::generate(QStringLiteral("HS256"));
        const auto stored
            = keystoretest::await<KeyRecord>([&](QObject* c, auto done) { window.add(key, options, c, done); });
        QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.message()));
    }
    for (QProcess* process : processes) {
        const CliRun run = finish(process);
        QVERIFY2(run.exitCode == 0,
                 qPrintable(QStringLiteral("exit %1: %2 %3").arg(run.exitCode).arg(run.out, run.err)));
    }
    const QJsonArray keys = indexKeys();
    QCOMPARE(keys.size(), writers + 3);
    QCOMPARE(activeCount(keys, QStringLiteral("shared")), 1);
    QCOMPARE(keychainEntries().size(), writers + 3);
}

void TestKeystoreFaults::mixedParallelWritersKeepTheSetConsistent()
{
    constexpr int trials = 2;
    int rotations = 0;
    int refusedRotations = 0;
    for (int trial = 0; trial < trials; ++trial) {
        init();
        for (const QString& name : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}) {
            QCOMPARE(runCli({QStringLiteral("keys"), QStringLiteral("generate"), QStringLiteral("--alg"),
                             QStringLiteral("ES256"), QStringLiteral("--set"), QStringLiteral("api"),
                             QStringLiteral("--name"), name})
                         .exitCode,
                     0);
        }
        std::vector<QProcess*> rotators;
        for (int i = 0; i < 2; ++i)
            rotators.push_back(startCli({QStringLiteral("keys"), QStringLiteral("rotate"), QStringLiteral("api")}));
        std::vector<QProcess*> others;
        others.push_back(startCli({QStringLiteral("keys"), QStringLiteral("retire"), QStringLiteral("b")}));
        others.push_back(startCli({QStringLiteral("keys"), QStringLiteral("delete"), QStringLiteral("c")}));
        for (int i = 0; i < 3; ++i) {
            others.push_back(
                startCli({QStringLiteral("keys"), QStringLiteral("import"),
                          writeKeyFile(QStringLiteral("mixed%1-%2.pem").arg(trial).arg(i), QStringLiteral("ES256")),
                          QStringLiteral("--set"), QStringLiteral("api"), QStringLiteral("--name"),
                          QStringLiteral("new%1").arg(i)}));
        }
        for (QProcess* process : rotators) {
            const CliRun run = finish(process);
            QVERIFY2(run.exitCode == 0 || run.err.contains(QLatin1String("changed during the rotation")),
                     qPrintable(run.err));
            (run.exitCode == 0 ? rotations : refusedRotations) += 1;
        }
        for (QProcess* process : others) {
            const CliRun run = finish(process);
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        }
        const QJsonArray keys = indexKeys();
        QCOMPARE(activeCount(keys, QStringLiteral("api")), 1);
        QStringList names;
        int withSecret = 0;
        for (const QJsonValue& key : keys) {
            names << key[QStringLiteral("name")].toString();
            if (key[QStringLiteral("name")].toString() == u"b")
                QCOMPARE(key[QStringLiteral("status")].toString(), QStringLiteral("retired"));
            withSecret += key[QStringLiteral("hasSecret")].toBool() ? 1 : 0;
        }
        QVERIFY(!names.contains(QStringLiteral("c")));
        for (const QString& name : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("new0"),
                                    QStringLiteral("new1"), QStringLiteral("new2")})
            QVERIFY2(names.contains(name), qPrintable(names.join(QLatin1Char(' '))));
        QCOMPARE(keychainEntries().size(), withSecret);
        QCOMPARE(runCli({QStringLiteral("keys"), QStringLiteral("check")}).exitCode, 0);
    }
    qInfo("mixed writers: %d trials of 2 rotations, 1 retire, 1 delete and 3 imports at once; %d rotations done, %d "
          "refused because the set changed; one active key, no lost or orphaned key each time",
          trials, rotations, refusedRotations);
}

void TestKeystoreFaults::damagedIndexIsRefusedNamedAndLeftUnchanged_data()
{
    const QByteArray good
        = R"({"id":"a1","name":"n","set":"s","kid":"k1","alg":"HS256","kty":"oct","status":"active","hasSecret":true})";
    QTest::addColumn<QByteArray>("index");
    QTest::addColumn<QString>("named");
    QTest::newRow("keys is an object") << QByteArray(R"({"schema":1,"keys":{"0":)" + good + "}}")
                                       << QStringLiteral("\"keys\" must be an array");
    QTest::newRow("keys is a string") << QByteArray(R"({"schema":1,"keys":"oops"})")
                                      << QStringLiteral("\"keys\" must be an array");
    QByteArray misspelled = good;
    misspelled.replace("hasSecret", "hasSecert");
    QTest::newRow("misspelled member") << QByteArray(R"({"schema":1,"keys":[)" + misspelled + "]}")
                                       << QStringLiteral("\"hasSecret\" is missing (the entry has the unknown member "
                                                         "\"hasSecert\")");
    QByteArray stringBool = good;
    stringBool.replace("\"hasSecret\":true", "\"hasSecret\":\"true\"");
    QTest::newRow("hasSecret a string") << QByteArray(R"({"schema":1,"keys":[)" + stringBool + "]}")
                                        << QStringLiteral("\"hasSecret\" must be true or false, not a string");
    QByteArray second = good;
    second.replace("\"kid\":\"k1\"", "\"kid\":\"k2\"").replace("\"status\":\"active\"", "\"status\":\"verify-only\"");
    QTest::newRow("duplicated id") << QByteArray(R"({"schema":1,"keys":[)" + good + "," + second + "]}")
                                   << QStringLiteral("the id a1 is used twice");
    QByteArray otherActive = good;
    otherActive.replace("\"id\":\"a1\"", "\"id\":\"a2\"").replace("\"kid\":\"k1\"", "\"kid\":\"k2\"");
    QTest::newRow("two active keys") << QByteArray(R"({"schema":1,"keys":[)" + good + "," + otherActive + "]}")
                                     << QStringLiteral("has a second active key");
    QByteArray unknownStatus = good;
    unknownStatus.replace("\"status\":\"active\"", "\"status\":\"Active!\"");
    QTest::newRow("unknown status") << QByteArray(R"({"schema":1,"keys":[)" + unknownStatus + "]}")
                                    << QStringLiteral("\"status\" is \"Active!\"");
    QTest::newRow("root not an object") << QByteArray("[]") << QStringLiteral("its root is not a JSON object");
    QTest::newRow("not JSON") << QByteArray("{\"schema\":1,") << QStringLiteral("not valid JSON");
}

void TestKeystoreFaults::damagedIndexIsRefusedNamedAndLeftUnchanged()
{
    QFETCH(QByteArray, index);
    QFETCH(QString, named);
    QDir().mkpath(QFileInfo(indexPath()).path());
    QFile file(indexPath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(index);
    file.close();
    const CliRun listed = runCli({QStringLiteral("keys"), QStringLiteral("list")});
    QCOMPARE(listed.exitCode, 3);
    QVERIFY2(listed.err.contains(named), qPrintable(listed.err));
    QVERIFY2(listed.err.contains(QLatin1String("the file was not changed")), qPrintable(listed.err));
    // No command writes over an index it could not read, and none leaves a secret behind trying.
    for (const QStringList& args :
         {QStringList{QStringLiteral("keys"), QStringLiteral("generate"), QStringLiteral("--alg"),
                      QStringLiteral("HS256")},
          QStringList{QStringLiteral("keys"), QStringLiteral("delete"), QStringLiteral("a1")},
          QStringList{QStringLiteral("keys"), QStringLiteral("retire"), QStringLiteral("a1")},
          QStringList{QStringLiteral("keys"), QStringLiteral("rotate"), QStringLiteral("s")}}) {
        const CliRun run = runCli(args);
        QVERIFY2(run.exitCode == 3, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + run.err));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), index);
        file.close();
    }
    QVERIFY(keychainEntries().isEmpty());
}

void TestKeystoreFaults::unknownMembersSurviveARewrite()
{
    QDir().mkpath(QFileInfo(indexPath()).path());
    QFile file(indexPath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"schema":1,"comment":"kept","keys":[{"id":"a1","name":"n","set":"s","kid":"k1","alg":"HS256",
               "kty":"oct","status":"verify-only","hasSecret":true,"label":{"colour":"red"}}]})");
    file.close();
    QCOMPARE(runCli({QStringLiteral("keys"), QStringLiteral("retire"), QStringLiteral("a1")}).exitCode, 0);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(root.value(QStringLiteral("comment")).toString(), QStringLiteral("kept"));
    const QJsonObject entry = root.value(QStringLiteral("keys")).toArray().at(0).toObject();
    QCOMPARE(entry.value(QStringLiteral("label")).toObject().value(QStringLiteral("colour")).toString(),
             QStringLiteral("red"));
    QCOMPARE(entry.value(QStringLiteral("status")).toString(), QStringLiteral("retired"));
}

void TestKeystoreFaults::repairIndexKeepsABackupAndTheGoodEntries()
{
    const QByteArray damaged = R"({"schema":1,"keys":[
        {"id":"a1","name":"n","set":"s","kid":"k1","alg":"HS256","kty":"oct","status":"active","hasSecret":"true"},
        {"id":"a1","name":"dup","set":"s","kid":"k9","alg":"HS256","kty":"oct","status":"verify-only","hasSecret":true},
        {"id":"a2","name":"n2","set":"s","kid":"k2","alg":"HS256","kty":"oct","status":"active","hasSecret":true},
        {"id":"a3","status":"nonsense"}]})";
    QDir().mkpath(QFileInfo(indexPath()).path());
    QFile file(indexPath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(damaged);
    file.close();
    const CliRun repaired = runCli({QStringLiteral("keys"), QStringLiteral("check"), QStringLiteral("--repair-index")});
    // The index is mended; the check that follows finds the two kept entries' secrets missing (none were stored).
    QCOMPARE(repaired.exitCode, 1);
    QVERIFY2(repaired.out.contains(QLatin1String("backup of the damaged index")), qPrintable(repaired.out));
    QVERIFY2(repaired.out.contains(QLatin1String("\"hasSecret\" was the string \"true\"")), qPrintable(repaired.out));
    const QStringList backups
        = QDir(QFileInfo(indexPath()).path()).entryList({QStringLiteral("keys.json.damaged-*")}, QDir::Files);
    QCOMPARE(backups.size(), 1);
    QFile backup(QFileInfo(indexPath()).path() + QLatin1Char('/') + backups.front());
    QVERIFY(backup.open(QIODevice::ReadOnly));
    QCOMPARE(backup.readAll(), damaged);
    const QJsonArray keys = indexKeys();
    QCOMPARE(keys.size(), 2);
    QCOMPARE(keys.at(0)[QStringLiteral("hasSecret")].toBool(), true);
    QCOMPARE(keys.at(1)[QStringLiteral("status")].toString(), QStringLiteral("verify-only"));
    QCOMPARE(runCli({QStringLiteral("keys"), QStringLiteral("list")}).exitCode, 0);
}

void TestKeystoreFaults::dataFolderThatIsAFileOrReadOnlyLeavesNoSecretBehind_data()
{
    QTest::addColumn<bool>("readOnly");
    QTest::newRow("a plain file where the folder should be") << false;
    QTest::newRow("a read-only folder") << true;
}

void TestKeystoreFaults::dataFolderThatIsAFileOrReadOnlyLeavesNoSecretBehind()
{
    QFETCH(bool, readOnly);
    if (readOnly && ::geteuid() == 0)
        QSKIP("root writes into a read-only folder anyway");
    const QString folder = QFileInfo(indexPath()).path();
    if (readOnly) {
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner));
    } else {
        QFile blocker(folder);
        QVERIFY(blocker.open(QIODevice::WriteOnly));
    }
    const QString pem = writeKeyFile(QStringLiteral("blocked.pem"), QStringLiteral("RS256"));
    for (const QStringList& args : {QStringList{QStringLiteral("keys"), QStringLiteral("import"), pem},
                                    QStringList{QStringLiteral("keys"), QStringLiteral("generate"),
                                                QStringLiteral("--alg"), QStringLiteral("ES256")}}) {
        const CliRun run = runCli(args);
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains(QLatin1String("nothing was written")), qPrintable(run.err));
        QVERIFY2(keychainEntries().isEmpty(), qPrintable(keychainEntries().join(QLatin1Char(' '))));
    }
    if (readOnly)
        QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

void TestKeystoreFaults::missingDataFolderIsCreatedOwnerOnly()
{
    QDir(m_home.path() + QStringLiteral("/data")).removeRecursively();
    const CliRun run = runCli(
        {QStringLiteral("keys"), QStringLiteral("generate"), QStringLiteral("--alg"), QStringLiteral("EdDSA")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(indexKeys().size(), 1);
    QCOMPARE(QFileInfo(QFileInfo(indexPath()).path()).permissions() & (QFile::ReadOther | QFile::ReadGroup),
             QFile::Permissions());
    QCOMPARE(keychainEntries().size(), 1);
}

void TestKeystoreFaults::keyringKilledDuringImportRotateAndDeleteLeavesNothingCheckCannotMend()
{
    // Each trial starts one command, kills the keyring daemon after a delay that moves through the command's life,
    // restarts it, and asks keys check. Whatever the command answered must be true, and check must find nothing or
    // exactly what its repair then mends.
    const QStringList operations = {QStringLiteral("import"), QStringLiteral("rotate"), QStringLiteral("delete")};
    constexpr int trialsPerOperation = 6;
    QMap<QString, int> outcomes;
    for (const QString& operation : operations) {
        for (int trial = 0; trial < trialsPerOperation; ++trial) {
            init();
            QCOMPARE(runCli({QStringLiteral("keys"), QStringLiteral("generate"), QStringLiteral("--alg"),
                             QStringLiteral("ES256"), QStringLiteral("--set"), QStringLiteral("api"),
                             QStringLiteral("--name"), QStringLiteral("first")})
                         .exitCode,
                     0);
            const QString firstId = indexKeys().at(0)[QStringLiteral("id")].toString();
            QStringList args{QStringLiteral("keys"), operation};
            if (operation == u"import")
                args << writeKeyFile(QStringLiteral("killed%1.pem").arg(trial), QStringLiteral("RS256"))
                     << QStringLiteral("--name") << QStringLiteral("imported") << QStringLiteral("--set")
                     << QStringLiteral("api");
            else if (operation == u"rotate")
                args << QStringLiteral("api");
            else
                args << firstId;
            QProcess* process = startCli(args);
            QTest::qWait(trial * 40);
            m_keychain.service().killKeyring();
            const CliRun run = finish(process);
            QVERIFY2(run.exitCode == 0 || run.exitCode == 3, qPrintable(run.err));
            QCOMPARE(m_keychain.service().startKeyring(), QString());

            // What the command said is true.
            const QJsonArray keys = indexKeys();
            QVERIFY(activeCount(keys, QStringLiteral("api")) <= 1);
            bool hasFirst = false;
            bool hasImported = false;
            for (const QJsonValue& key : keys) {
                hasFirst = hasFirst || key[QStringLiteral("id")].toString() == firstId;
                hasImported = hasImported || key[QStringLiteral("name")].toString() == u"imported";
            }
            if (operation == u"import" && run.exitCode == 0)
                QVERIFY(hasImported);
            if (operation == u"delete" && run.exitCode == 0) {
                QVERIFY(!hasFirst);
                QVERIFY(!keychainEntries().contains(QStringLiteral("key/") + firstId));
            }
            if (operation == u"rotate" && run.exitCode == 0)
                QCOMPARE(keys.size(), 2);
            if (run.exitCode == 3 && operation != u"delete")
                QCOMPARE(keys.size(), 1);

            const CliRun checked = runCli({QStringLiteral("keys"), QStringLiteral("check")});
            QVERIFY2(checked.exitCode == 0 || checked.exitCode == 1, qPrintable(checked.err));
            QString outcome = QStringLiteral("%1 exit %2, ").arg(operation).arg(run.exitCode);
            if (checked.exitCode == 0) {
                outcome += QStringLiteral("consistent");
            } else {
                const CliRun repaired
                    = runCli({QStringLiteral("keys"), QStringLiteral("check"), QStringLiteral("--repair"),
                              QStringLiteral("--grace"), QStringLiteral("0")});
                QVERIFY2(repaired.exitCode == 0, qPrintable(repaired.out + repaired.err));
                QCOMPARE(runCli({QStringLiteral("keys"), QStringLiteral("check")}).exitCode, 0);
                outcome += QStringLiteral("check found %1, repaired").arg(checked.out.count(QLatin1Char('\n')) - 1);
            }
            ++outcomes[outcome];
            // Every index entry that claims a secret has it.
            for (const QJsonValue& key : indexKeys()) {
                if (key[QStringLiteral("hasSecret")].toBool())
                    QVERIFY(keychainEntries().contains(QStringLiteral("key/") + key[QStringLiteral("id")].toString()));
            }
        }
    }
    for (auto it = outcomes.begin(); it != outcomes.end(); ++it)
        qInfo("keyring killed: %s: %d of %d trials", qPrintable(it.key()), it.value(), trialsPerOperation);
}

void TestKeystoreFaults::checkFindsAndRepairsOrphansAndMissingSecrets()
{
    QCOMPARE(runCli({QStringLiteral("keys"), QStringLiteral("generate"), QStringLiteral("--alg"),
                     QStringLiteral("ES256"), QStringLiteral("--set"), QStringLiteral("api")})
                 .exitCode,
             0);
    QCOMPARE(runCli({QStringLiteral("keys"), QStringLiteral("generate"), QStringLiteral("--alg"),
                     QStringLiteral("HS256"), QStringLiteral("--set"), QStringLiteral("hs")})
                 .exitCode,
             0);
    QCOMPARE(runCli({QStringLiteral("keys"), QStringLiteral("check")}).exitCode, 0);
    const QJsonArray keys = indexKeys();
    const QString ecId = keys.at(0)[QStringLiteral("id")].toString();
    const QString hmacId = keys.at(1)[QStringLiteral("id")].toString();
    // An orphaned private key (as a crash between keychain and index leaves it) and a lost HMAC secret.
    // Written with secret-tool, as QtKeychain writes them: this process's own libsecret connection does not
    // survive the keyring restarts of the case before.
    const Key orphan = keystoretest::generate(QStringLiteral("EdDSA"));
    const auto der = exportPrivateDer(orphan);
    QVERIFY(storeWithSecretTool(QStringLiteral("key/orphan-1"), der->view().toByteArray()));
    QCOMPARE(QProcess::execute(QStringLiteral("secret-tool"),
                               {QStringLiteral("clear"), QStringLiteral("user"), QStringLiteral("key/") + hmacId,
                                QStringLiteral("server"), QStringLiteral("jwt-inspector")}),
             0);
    const CliRun checked = runCli({QStringLiteral("keys"), QStringLiteral("check")});
    QCOMPARE(checked.exitCode, 1);
    QVERIFY2(checked.out.contains(QLatin1String("keychain item key/orphan-1 has no index entry")),
             qPrintable(checked.out));
    QVERIFY2(checked.out.contains(hmacId + QStringLiteral("): its secret is missing")), qPrintable(checked.out));
    // Recent orphans are left alone unless asked: another process may be storing them.
    const CliRun cautious = runCli({QStringLiteral("keys"), QStringLiteral("check"), QStringLiteral("--repair")});
    QCOMPARE(cautious.exitCode, 1);
    QVERIFY(cautious.out.contains(QLatin1String("left alone")));
    const CliRun repaired = runCli({QStringLiteral("keys"), QStringLiteral("check"), QStringLiteral("--repair"),
                                    QStringLiteral("--grace"), QStringLiteral("0")});
    QVERIFY2(repaired.exitCode == 0, qPrintable(repaired.out + repaired.err));
    QVERIFY(repaired.out.contains(QLatin1String("adopted")));
    const QJsonArray after = indexKeys();
    QCOMPARE(after.size(), 2); // EC kept, HMAC (nothing left of it) gone, orphan adopted
    QCOMPARE(after.at(0)[QStringLiteral("id")].toString(), ecId);
    QCOMPARE(after.at(1)[QStringLiteral("id")].toString(), QStringLiteral("orphan-1"));
    QCOMPARE(after.at(1)[QStringLiteral("thumbprint")].toString(), thumbprint(orphan));
    QCOMPARE(after.at(1)[QStringLiteral("set")].toString(), QStringLiteral("recovered"));

    // Removing instead of adopting, on request.
    QVERIFY(storeWithSecretTool(QStringLiteral("key/orphan-2"), QByteArray()));
    const CliRun removed = runCli({QStringLiteral("keys"), QStringLiteral("check"), QStringLiteral("--repair"),
                                   QStringLiteral("--remove-orphans"), QStringLiteral("--grace"), QStringLiteral("0")});
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.out + removed.err));
    QVERIFY(!keychainEntries().contains(QStringLiteral("key/orphan-2")));
    QCOMPARE(indexKeys().size(), 2);
}

void TestKeystoreFaults::lockedCollectionMakesCheckAndGenerateExitThree()
{
    QCOMPARE(
        runCli({QStringLiteral("keys"), QStringLiteral("generate"), QStringLiteral("--alg"), QStringLiteral("HS256")})
            .exitCode,
        0);
    QVERIFY(m_keychain.service().lockDefaultCollection());
    const QByteArray before = [this] {
        QFile file(indexPath());
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }();
    for (const QStringList& args : {QStringList{QStringLiteral("keys"), QStringLiteral("check")},
                                    QStringList{QStringLiteral("keys"), QStringLiteral("generate"),
                                                QStringLiteral("--alg"), QStringLiteral("ES256")}}) {
        const CliRun run = runCli(args);
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains(QLatin1String("the keychain is locked")), qPrintable(run.err));
    }
    QFile file(indexPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), before);
    // Unlocked again (by restarting the daemon with its password) for whatever runs next.
    m_keychain.service().killKeyring();
    QCOMPARE(m_keychain.service().startKeyring(), QString());
}

QTEST_GUILESS_MAIN(TestKeystoreFaults)
QString TestKeystoreFaults::writeHmacJwks(const QString& name, int count, std::vector<Key>* keys) const
{
    QJsonArray members;
    for (int i = 0; i < count; ++i) {
        const Key key = keystoretest::generate(QStringLiteral("HS256"));
        members.append(QJsonObject{{QStringLiteral("kty"), QStringLiteral("oct")},
                                   {QStringLiteral("kid"), QStringLiteral("k%1").arg(i, 2, 10, QLatin1Char('0'))},
                                   {QStringLiteral("alg"), QStringLiteral("HS256")},
                                   {QStringLiteral("k"), QString::fromLatin1(Base64Url::encode(key.secret().view()))}});
        if (keys)
            keys->push_back(key);
    }
    const QString path = m_files.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("keys"), members}}).toJson());
    return path;
}

int TestKeystoreFaults::packEntries() const
{
    const QStringList entries = keychainEntries();
    return int(std::count_if(entries.begin(), entries.end(),
                             [](const QString& entry) { return entry.startsWith(QLatin1String("pack/")); }));
}

void TestKeystoreFaults::secretPackRoundTripsAndRefusesDamage()
{
    const std::vector<SecretPackMember> members = {{QStringLiteral("a"), SecretBytes(QByteArrayView("first"))},
                                                   {QStringLiteral("bb"), SecretBytes()},
                                                   {QStringLiteral("c"), SecretBytes(QByteArray(70000, 'x'))}};
    const SecretBytes pack = encodeSecretPack(members);
    auto decoded = decodeSecretPack(pack);
    QVERIFY(decoded.ok());
    QCOMPARE(decoded->size(), std::size_t(3));
    QCOMPARE(decoded->at(0).id, QStringLiteral("a"));
    QVERIFY(decoded->at(0).secret.equals("first"));
    QVERIFY(decoded->at(1).secret.isEmpty());
    QCOMPARE(decoded->at(2).secret.size(), 70000);
    QVERIFY(secretPackMember(pack, QStringLiteral("c"))->equals(QByteArray(70000, 'x')));
    QCOMPARE(secretPackMember(pack, QStringLiteral("d")).code(), ErrorCode::KeyNotFound);

    const QByteArray bytes = pack.view().toByteArray();
    const QByteArray twice = encodeSecretPack({members[0], members[0]}).view().toByteArray();
    for (const QByteArray& damaged : {bytes.left(bytes.size() - 1), bytes + 'x', QByteArray("JWTI-PACK\x02"),
                                      QByteArray("not a pack"), twice, bytes.left(12)}) {
        auto refused = decodeSecretPack(SecretBytes(damaged));
        QVERIFY2(!refused.ok(), damaged.left(20).toHex().constData());
        QCOMPARE(refused.code(), ErrorCode::KeyInvalid);
    }
    QVERIFY(decodeSecretPack(SecretBytes(QByteArrayView("JWTI-PACK\x01")))->empty());
}

void TestKeystoreFaults::bulkImportSharesPacksAndEveryKeyStaysWhole()
{
    constexpr int count = 40;
    std::vector<Key> keys;
    const QString jwks = writeHmacJwks(QStringLiteral("bulk.json"), count, &keys);
    const CliRun imported = runCli(
        {QStringLiteral("keys"), QStringLiteral("import"), jwks, QStringLiteral("--set"), QStringLiteral("bulk")});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    // One keychain item for the forty secrets, each index entry naming it.
    QCOMPARE(keychainEntries().size(), 1);
    QCOMPARE(packEntries(), 1);
    QCOMPARE(indexKeys().size(), count);
    for (const QJsonValue& key : indexKeys())
        QVERIFY(!key[QStringLiteral("secretPack")].toString().isEmpty());

    auto tokenFor = [&](int i) {
        SignOptions options;
        options.alg = QStringLiteral("HS256");
        options.kid = QStringLiteral("k%1").arg(i, 2, 10, QLatin1Char('0'));
        return QString::fromLatin1(*signToken("{\"sub\":\"x\"}", keys[std::size_t(i)], options));
    };
    auto verifies = [&](int i) {
        return runCli({QStringLiteral("verify"), QStringLiteral("--keystore"), tokenFor(i)}).exitCode == 0;
    };
    for (const int i : {0, 17, 39})
        QVERIFY2(verifies(i), qPrintable(tokenFor(i)));

    // Eight deletes of members of the same pack at once, from eight processes: each takes its own member out and
    // leaves the others, whatever the order.
    constexpr int deleted = 8;
    std::vector<QProcess*> processes;
    for (int i = 0; i < deleted; ++i)
        processes.push_back(startCli({QStringLiteral("keys"), QStringLiteral("delete"),
                                      QStringLiteral("k%1").arg(i * 5, 2, 10, QLatin1Char('0'))}));
    for (QProcess* process : processes) {
        const CliRun run = finish(process);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    }
    QCOMPARE(indexKeys().size(), count - deleted);
    QCOMPARE(packEntries(), 1);
    const CliRun checked = runCli({QStringLiteral("keys"), QStringLiteral("check")});
    QVERIFY2(checked.exitCode == 0, qPrintable(checked.out + checked.err));
    QVERIFY(!verifies(5)); // deleted: its secret is gone from the pack
    QVERIFY(verifies(6));
    QVERIFY(verifies(39));

    // Two entries lost from the index (a crash, a hand edit): their secrets are orphaned members, found and adopted.
    QFile file(indexPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonObject index = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    QJsonArray kept = index.value(QStringLiteral("keys")).toArray();
    kept.removeFirst();
    kept.removeFirst();
    index[QStringLiteral("keys")] = kept;
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(index).toJson());
    file.close();
    const CliRun orphans = runCli({QStringLiteral("keys"), QStringLiteral("check")});
    QCOMPARE(orphans.exitCode, 1);
    QCOMPARE(orphans.out.count(QLatin1String("of keychain item pack/")), 2);
    const CliRun adopted = runCli({QStringLiteral("keys"), QStringLiteral("check"), QStringLiteral("--repair"),
                                   QStringLiteral("--grace"), QStringLiteral("0")});
    QVERIFY2(adopted.exitCode == 0, qPrintable(adopted.out + adopted.err));
    QCOMPARE(adopted.out.count(QLatin1String("adopted")), 2);
    QCOMPARE(runCli({QStringLiteral("keys"), QStringLiteral("check")}).exitCode, 0);
    QCOMPARE(indexKeys().size(), count - deleted);

    // Deleting every key leaves nothing in the keychain.
    for (const QJsonValue& key : indexKeys()) {
        const CliRun run
            = runCli({QStringLiteral("keys"), QStringLiteral("delete"), key[QStringLiteral("id")].toString()});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    }
    QCOMPARE(keychainEntries().size(), 0);
    qInfo("bulk import: %d keys in %d keychain item, %d parallel deletes of one pack's members, 2 orphaned members "
          "adopted, every key verified or gone as its entry says",
          count, 1, deleted);
}

void TestKeystoreFaults::keyringKilledDuringBulkImportOrPackedDeleteLeavesAllOrNothing()
{
    constexpr int count = 250; // three packs of up to 100
    const QString jwks = writeHmacJwks(QStringLiteral("killed-bulk.json"), count);
    QMap<QString, int> outcomes;
    constexpr int trials = 5;
    for (int trial = 0; trial < trials; ++trial) {
        init();
        QProcess* process = startCli(
            {QStringLiteral("keys"), QStringLiteral("import"), jwks, QStringLiteral("--set"), QStringLiteral("b")});
        QTest::qWait(trial * 60); // a fault injected at a different point of the import each trial, not a wait
        m_keychain.service().killKeyring();
        const CliRun run = finish(process);
        QVERIFY2(run.exitCode == 0 || run.exitCode == 3, qPrintable(run.err));
        QCOMPARE(m_keychain.service().startKeyring(), QString());
        // All or nothing: the index has every key or none.
        const int indexed = int(indexKeys().size());
        QVERIFY2(indexed == 0 || indexed == count, qPrintable(QString::number(indexed)));
        QCOMPARE(indexed == count, run.exitCode == 0);
        const CliRun checked = runCli({QStringLiteral("keys"), QStringLiteral("check")});
        QVERIFY2(checked.exitCode == 0 || checked.exitCode == 1, qPrintable(checked.err));
        QString outcome = QStringLiteral("exit %1, ").arg(run.exitCode);
        if (checked.exitCode == 0) {
            outcome += QStringLiteral("consistent");
        } else {
            const CliRun removed
                = runCli({QStringLiteral("keys"), QStringLiteral("check"), QStringLiteral("--repair"),
                          QStringLiteral("--remove-orphans"), QStringLiteral("--grace"), QStringLiteral("0")});
            QVERIFY2(removed.exitCode == 0, qPrintable(removed.out + removed.err));
            QCOMPARE(runCli({QStringLiteral("keys"), QStringLiteral("check")}).exitCode, 0);
            outcome += QStringLiteral("check found leftovers, removed");
        }
        if (run.exitCode == 3)
            QCOMPARE(packEntries(), 0);
        ++outcomes[outcome];
    }
    for (auto it = outcomes.begin(); it != outcomes.end(); ++it)
        qInfo("keyring killed during a %d-key import: %s: %d of %d trials", count, qPrintable(it.key()), it.value(),
              trials);

    // A delete rewrites its pack without the member: killed at any point, the key is whole or gone, and the pack
    // never loses a sibling.
    constexpr int siblings = 20;
    const QString small = writeHmacJwks(QStringLiteral("killed-delete.json"), siblings);
    QMap<QString, int> deletes;
    for (int trial = 0; trial < trials; ++trial) {
        init();
        QCOMPARE(runCli({QStringLiteral("keys"), QStringLiteral("import"), small}).exitCode, 0);
        QProcess* process = startCli({QStringLiteral("keys"), QStringLiteral("delete"), QStringLiteral("k03")});
        QTest::qWait(trial * 40); // as above: where the fault lands, not a wait for anything
        m_keychain.service().killKeyring();
        const CliRun run = finish(process);
        QVERIFY2(run.exitCode == 0 || run.exitCode == 3, qPrintable(run.err));
        QCOMPARE(m_keychain.service().startKeyring(), QString());
        bool present = false;
        for (const QJsonValue& key : indexKeys())
            present = present || key[QStringLiteral("kid")].toString() == u"k03";
        if (run.exitCode == 0)
            QVERIFY(!present);
        const CliRun checked = runCli({QStringLiteral("keys"), QStringLiteral("check")});
        QString outcome = QStringLiteral("exit %1, ").arg(run.exitCode);
        if (checked.exitCode == 0) {
            outcome += QStringLiteral("consistent");
        } else {
            QCOMPARE(checked.exitCode, 1);
            const CliRun repaired = runCli({QStringLiteral("keys"), QStringLiteral("check"), QStringLiteral("--repair"),
                                            QStringLiteral("--grace"), QStringLiteral("0")});
            QVERIFY2(repaired.exitCode == 0, qPrintable(repaired.out + repaired.err));
            QCOMPARE(runCli({QStringLiteral("keys"), QStringLiteral("check")}).exitCode, 0);
            outcome += QStringLiteral("check found %1, repaired").arg(checked.out.count(QLatin1Char('\n')) - 1);
        }
        // Every sibling is still in the index with its secret (check is clean), and k03 is there only if the
        // delete did not finish.
        QVERIFY(indexKeys().size() >= siblings - 1);
        ++deletes[outcome];
    }
    for (auto it = deletes.begin(); it != deletes.end(); ++it)
        qInfo("keyring killed during a delete from a %d-key pack: %s: %d of %d trials", siblings, qPrintable(it.key()),
              it.value(), trials);
}

#include "TestKeystoreFaults.moc"
