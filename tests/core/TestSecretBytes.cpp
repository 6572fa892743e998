#include "core/crypto/SecretBytes.h"

#include <QTest>

using namespace jwti;

class TestSecretBytes : public QObject
{
    Q_OBJECT

private slots:
    void copiesAreDeepAndIndependent()
    {
        QByteArray source("top secret");
        SecretBytes secret(source);
        QVERIFY(secret.data() != source.constData());
        source[0] = 'X';
        QCOMPARE(secret.view(), QByteArrayView("top secret"));

        SecretBytes copy(secret);
        QVERIFY(copy.data() != secret.data());
        QCOMPARE(copy.view(), secret.view());

        SecretBytes assigned;
        assigned = copy;
        QVERIFY(assigned.data() != copy.data());
        copy.clear();
        QCOMPARE(assigned.view(), QByteArrayView("top secret"));
    }

    void moveLeavesTheSourceEmpty()
    {
        SecretBytes secret(QByteArrayView("abc"));
        SecretBytes moved(std::move(secret));
        QCOMPARE(moved.view(), QByteArrayView("abc"));
        QVERIFY(secret.isEmpty()); // NOLINT(bugprone-use-after-move): the moved-from state is what is tested
        SecretBytes target(QByteArrayView("old"));
        target = std::move(moved);
        QCOMPARE(target.view(), QByteArrayView("abc"));
        QVERIFY(moved.isEmpty()); // NOLINT(bugprone-use-after-move)
    }

    void clearEmptiesTheBytes()
    {
        SecretBytes secret(QByteArrayView("password"));
        QCOMPARE(secret.size(), 8);
        secret.clear();
        QVERIFY(secret.isEmpty());
        QCOMPARE(secret.size(), 0);
    }

    void equalsComparesContentAndLength_data()
    {
        QTest::addColumn<QByteArray>("left");
        QTest::addColumn<QByteArray>("right");
        QTest::addColumn<bool>("equal");
        QTest::newRow("same") << QByteArray("secret") << QByteArray("secret") << true;
        QTest::newRow("last byte differs") << QByteArray("secret") << QByteArray("secreT") << false;
        QTest::newRow("first byte differs") << QByteArray("secret") << QByteArray("Secret") << false;
        QTest::newRow("prefix") << QByteArray("secret") << QByteArray("secre") << false;
        QTest::newRow("longer") << QByteArray("secret") << QByteArray("secret!") << false;
        QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
        QTest::newRow("empty vs text") << QByteArray() << QByteArray("x") << false;
        QTest::newRow("embedded zero") << QByteArray("a\0b", 3) << QByteArray("a\0c", 3) << false;
    }

    void equalsComparesContentAndLength()
    {
        QFETCH(QByteArray, left);
        QFETCH(QByteArray, right);
        QFETCH(bool, equal);
        QCOMPARE(SecretBytes(left).equals(right), equal);
    }

    void wipeBytesEmptiesTheBufferAndLeavesOthersAlone()
    {
        // What the wipe writes over is freed right after, so the test can only see its effects from outside:
        // the buffer is empty, and a separate copy made before is untouched (no shared storage was overwritten).
        QByteArray buffer("hunter2hunter2");
        const QByteArray independent(buffer.constData(), buffer.size());
        wipeBytes(buffer);
        QVERIFY(buffer.isEmpty());
        QCOMPARE(independent, QByteArray("hunter2hunter2"));
        QByteArray empty;
        wipeBytes(empty);
        QVERIFY(empty.isEmpty());
    }

    void wipeStringEmptiesText()
    {
        QString text = QStringLiteral("passphrase");
        wipeString(text);
        QVERIFY(text.isEmpty());
        QString empty;
        wipeString(empty);
        QVERIFY(empty.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSecretBytes)
#include "TestSecretBytes.moc"
