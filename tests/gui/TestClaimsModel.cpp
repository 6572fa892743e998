// The claims table model: rows in token order, times in UTC/local/relative, the verdict's check states in the
// Status column (expired, not yet valid, issued in the future, not checked, not relied on while the signature is not
// verified) and far-future marks, checked with Qt's own model tester.
#include "core/jose/Base64Url.h"
#include "core/model/TokenDocument.h"
#include "core/model/Verdict.h"
#include "token/ClaimsModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace jwti;

namespace {

constexpr qint64 kNow = 1700000000;

QString token(const QByteArray& payload)
{
    return QString::fromLatin1(Base64Url::encode(R"({"alg":"HS256","typ":"JWT"})") + '.' + Base64Url::encode(payload)
                               + ".c2ln");
}

} // namespace

class TestClaimsModel : public QObject
{
    Q_OBJECT

private slots:
    void listsHeaderThenClaimsInTokenOrder()
    {
        TokenDocument document;
        ClaimsModel model(&document);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        document.setText(token(R"({"sub":"a","zzz":1,"aaa":[1,2]})"));
        model.reload();
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.index(0, ClaimsModel::NameColumn).data().toString(), QStringLiteral("alg"));
        QCOMPARE(model.index(0, ClaimsModel::PartColumn).data().toString(), QStringLiteral("header"));
        QCOMPARE(model.index(2, ClaimsModel::NameColumn).data().toString(), QStringLiteral("sub"));
        QCOMPARE(model.index(3, ClaimsModel::NameColumn).data().toString(), QStringLiteral("zzz"));
        QCOMPARE(model.index(4, ClaimsModel::ValueColumn).data().toString(), QStringLiteral("[1,2]"));
        QVERIFY(!model.index(2, ClaimsModel::MeaningColumn).data().toString().isEmpty());
    }

    void marksExpiredNotYetValidAndFarFutureTimes_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("claim");
        QTest::addColumn<QString>("status");
        QTest::newRow("expired") << QByteArray("{\"exp\":" + QByteArray::number(kNow - 600) + "}")
                                 << QStringLiteral("exp") << QStringLiteral("expired");
        QTest::newRow("valid exp") << QByteArray("{\"exp\":" + QByteArray::number(kNow + 600) + "}")
                                   << QStringLiteral("exp") << QStringLiteral("passed");
        QTest::newRow("not yet valid") << QByteArray("{\"nbf\":" + QByteArray::number(kNow + 600) + "}")
                                       << QStringLiteral("nbf") << QStringLiteral("not-yet-valid");
        QTest::newRow("far future exp") << QByteArray("{\"exp\":" + QByteArray::number(kNow + 50LL * 365 * 86400) + "}")
                                        << QStringLiteral("exp") << QStringLiteral("far-future");
        QTest::newRow("iat in the future") << QByteArray("{\"iat\":" + QByteArray::number(kNow + 600) + "}")
                                           << QStringLiteral("iat") << QStringLiteral("issued-in-future");
    }

    void marksExpiredNotYetValidAndFarFutureTimes()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, claim);
        QFETCH(QString, status);
        TokenDocument document;
        document.setNowOverride(kNow);
        ClaimsModel model(&document);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        document.setText(token(payload));
        model.reload();
        const int row = model.rowOf(claim);
        QVERIFY(row >= 0);
        QCOMPARE(model.index(row, 0).data(ClaimsModel::StatusCodeRole).toString(), status);
        // Every time claim the verdict checks has a status in words.
        QVERIFY(!model.index(row, ClaimsModel::StatusColumn).data().toString().isEmpty());
        QVERIFY(model.index(row, ClaimsModel::UtcColumn).data().toString().endsWith(QLatin1Char('Z')));
        QVERIFY(!model.index(row, ClaimsModel::LocalColumn).data().toString().isEmpty());
        QVERIFY(!model.index(row, ClaimsModel::RelativeColumn).data().toString().isEmpty());
    }

    void relativeTimesFollowTheClock()
    {
        TokenDocument document;
        document.setNowOverride(kNow);
        ClaimsModel model(&document);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        document.setText(token("{\"exp\":" + QByteArray::number(kNow + 60) + "}"));
        model.reload();
        const int row = model.rowOf(QStringLiteral("exp"));
        const QString before = model.index(row, ClaimsModel::RelativeColumn).data().toString();
        QCOMPARE(model.index(row, 0).data(ClaimsModel::StatusCodeRole).toString(), QStringLiteral("passed"));
        document.setNowOverride(kNow + 3600);
        model.refreshTimes();
        QCOMPARE(model.index(row, 0).data(ClaimsModel::StatusCodeRole).toString(), QStringLiteral("expired"));
        QVERIFY(model.index(row, ClaimsModel::RelativeColumn).data().toString() != before);
    }

    void saysWhenTheClockPassesATimeOfTheToken()
    {
        TokenDocument document;
        document.setNowOverride(kNow);
        ClaimsModel model(&document);
        document.setText(token("{\"exp\":" + QByteArray::number(kNow + 60) + "}"));
        model.reload();
        QSignalSpy passed(&model, &ClaimsModel::timePassed);
        document.setNowOverride(kNow + 30);
        model.refreshTimes();
        QCOMPARE(passed.count(), 0);
        document.setNowOverride(kNow + 61);
        model.refreshTimes();
        QCOMPARE(passed.count(), 1);
        model.refreshTimes();
        QCOMPARE(passed.count(), 1);
    }

    void statusIsTheVerdictsAndNotReliedOnWithoutAVerifiedSignature()
    {
        TokenDocument document;
        document.setNowOverride(kNow);
        ClaimsModel model(&document);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        document.setText(token("{\"aud\":\"api\",\"exp\":" + QByteArray::number(kNow + 600) + "}"));
        model.reload();
        const Verdict& verdict = document.verdict();
        QVERIFY(!verdict.signatureVerified());
        const QModelIndex exp = model.index(model.rowOf(QStringLiteral("exp")), ClaimsModel::StatusColumn);
        QCOMPARE(exp.data(ClaimsModel::CheckStateRole).toString(), checkStateName(verdict.check(u"exp")->state));
        QVERIFY(exp.data(ClaimsModel::NotReliedOnRole).toBool());
        QVERIFY2(exp.data().toString().startsWith(QLatin1String("Not relied on")), qPrintable(exp.data().toString()));
        // No expected audience was given: aud is not checked, whatever the signature.
        const QModelIndex aud = model.index(model.rowOf(QStringLiteral("aud")), ClaimsModel::StatusColumn);
        QCOMPARE(aud.data(ClaimsModel::CheckStateRole).toString(), QStringLiteral("not-checked"));
        QVERIFY(!aud.data(ClaimsModel::NotReliedOnRole).toBool());
        QVERIFY2(aud.data().toString().startsWith(QStringLiteral("○ Not checked")), qPrintable(aud.data().toString()));
    }

    void showsNoRowsForAnEmptyToken()
    {
        TokenDocument document;
        ClaimsModel model(&document);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reload();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestClaimsModel)
#include "TestClaimsModel.moc"
