// The tour's one-character change: one letter of the decoded payload becomes another letter, inside the preferred
// member when it can, the JSON stays readable, and the place is counted in the text as the user gave it.
#include "core/jose/Base64Url.h"
#include "core/jose/Json.h"
#include "core/jose/PayloadChange.h"
#include "core/jose/Token.h"

#include <QTest>

using namespace jwti;

namespace {

QString tokenOver(const QByteArray& payload)
{
    return QString::fromLatin1(Base64Url::encode(R"({"alg":"HS256","typ":"JWT"})") + '.' + Base64Url::encode(payload)
                               + '.' + Base64Url::encode(QByteArray(32, '\x5a')));
}

} // namespace

class TestPayloadChange : public QObject
{
    Q_OBJECT

private slots:
    void changesOneLetterOfThePreferredMember_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("prefix");
        QTest::newRow("the sample") << QByteArray(R"({"sub":"1234567890","name":"Jane Doe","iat":1516239022})")
                                    << QString();
        QTest::newRow("name last") << QByteArray(R"({"n":1,"name":"Ada"})") << QString();
        QTest::newRow("pasted with Bearer") << QByteArray(R"({"name":"Jane Doe"})") << QStringLiteral("Bearer ");
    }

    void changesOneLetterOfThePreferredMember()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, prefix);
        const QString input = prefix + tokenOver(payload);
        const Token token = decodeUnverified(input);
        const std::optional<PayloadChange> change = findPayloadChange(token);
        QVERIFY(change);
        QCOMPARE(input.at(change->inputOffset), change->from);
        QVERIFY(change->from != change->to);

        QString changedInput = input;
        changedInput[change->inputOffset] = change->to;
        const Token changed = decodeUnverified(changedInput);
        const QByteArray before = token.payload.decoded.bytes;
        const QByteArray after = changed.payload.decoded.bytes;
        QCOMPARE(after.size(), before.size());
        qsizetype differing = -1;
        for (qsizetype i = 0; i < before.size(); ++i) {
            if (before[i] != after[i]) {
                QCOMPARE(differing, qsizetype(-1));
                differing = i;
            }
        }
        QVERIFY(differing >= 0);
        QCOMPARE(before[differing], change->byteFrom);
        QCOMPARE(after[differing], change->byteTo);
        QVERIFY(QChar::fromLatin1(change->byteTo).isLetter());
        // Inside the value of "name", and the payload is still the same JSON object but for that letter.
        const qsizetype name = before.indexOf("\"name\":\"") + 8;
        QVERIFY(differing >= name && differing < before.indexOf('"', name));
        QVERIFY(parseJson(after).ok());
    }

    void anyLetterWhenThereIsNoName()
    {
        const Token token = decodeUnverified(tokenOver(R"({"sub":"abc"})"));
        const std::optional<PayloadChange> change = findPayloadChange(token);
        QVERIFY(change);
        QVERIFY(QChar::fromLatin1(change->byteFrom).isLetter());
    }

    void nothingWithoutALetter()
    {
        QVERIFY(!findPayloadChange(decodeUnverified(tokenOver("[1,2,3]"))));
        QVERIFY(!findPayloadChange(decodeUnverified(QStringLiteral("not a token"))));
    }
};

QTEST_MAIN(TestPayloadChange)
#include "TestPayloadChange.moc"
