// The signing editor: live JSON validation with errors in place, quick actions, sign and re-verify round trips.
#include "core/jose/Json.h"
#include "core/model/TokenDocument.h"
#include "core/model/Verdict.h"
#include "shell/MainWindow.h"
#include "sign/SigningEditor.h"
#include "verify/SecretInput.h"
#include "verify/VerifyPanel.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace jwti;

namespace {

const QString kSecret = QStringLiteral("signing-secret-of-32-bytes-long!");

std::optional<qint64> memberInteger(const QString& json, const char* name)
{
    const JsonDocument document = parseJson(json.toUtf8());
    if (!document.ok())
        return std::nullopt;
    const JsonValue* value = document.root->member(QString::fromLatin1(name));
    return value ? value->toInteger() : std::nullopt;
}

} // namespace

class TestSigningEditor : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void signsWithASecretAndTheInspectorVerifiesIt()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        SigningEditor* editor = window.signingEditor();
        editor->setAlg(QStringLiteral("HS384"));
        QVERIFY(editor->headerText().contains(QLatin1String("\"HS384\"")));
        editor->secretInput()->setSecret(kSecret + kSecret, SecretEncoding::Text);
        const QString token = editor->signNow();
        QVERIFY2(!token.isEmpty(), qPrintable(editor->statusText()));
        QTest::mouseClick(editor->findChild<QPushButton*>(QStringLiteral("inspectSignedToken")), Qt::LeftButton);
        QCOMPARE(window.document()->text(), token);
        QCOMPARE(window.document()->token().alg(), QStringLiteral("HS384"));
        const QString result = window.verifyPanel()->resultText();
        QVERIFY2(result.startsWith(QLatin1String("Valid: signature verified")), qPrintable(result));
        QVERIFY(window.document()->verdict().isValid());
    }

    void signsWithAGeneratedKeyAndTheInspectorVerifiesIt()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        SigningEditor* editor = window.signingEditor();
        editor->setAlg(QStringLiteral("ES256"));
        QSignalSpy generated(editor, &SigningEditor::generationFinished);
        QTest::mouseClick(editor->findChild<QPushButton*>(QStringLiteral("signGenerateKey")), Qt::LeftButton);
        QVERIFY(generated.wait(30000));
        QVERIFY2(!editor->signedToken().isEmpty(), qPrintable(editor->statusText()));
        QTest::mouseClick(editor->findChild<QPushButton*>(QStringLiteral("inspectSignedToken")), Qt::LeftButton);
        const QString result = window.verifyPanel()->resultText();
        QVERIFY2(result.startsWith(QLatin1String("Valid: signature verified")), qPrintable(result));
        QVERIFY(window.document()->verdict().isValid());
    }

    void marksJsonErrorsAtTheirPlace()
    {
        SigningEditor editor;
        const QString broken = QStringLiteral("{\n  \"sub\": \"a\",,\n  \"n\": 1\n}");
        editor.setPayloadText(broken);
        const JsonDocument parsed = parseJson(broken.toUtf8());
        QVERIFY(parsed.error.has_value());
        auto* edit = editor.findChild<QPlainTextEdit*>(QStringLiteral("signPayloadEdit"));
        const auto selections = edit->extraSelections();
        QCOMPARE(selections.size(), 1);
        QCOMPARE(qsizetype(selections.front().cursor.selectionStart()), parsed.error->offset);
        const QString status = editor.findChild<QLabel*>(QStringLiteral("signPayloadStatus"))->text();
        QVERIFY2(status.startsWith(QLatin1String("Line 2")), qPrintable(status));
        editor.secretInput()->setSecret(kSecret, SecretEncoding::Text);
        QVERIFY(editor.signNow().isEmpty());
        QVERIFY(editor.statusText().contains(QLatin1String("fix the JSON")));
    }

    void quickActionsSetIatExpAndKid()
    {
        SigningEditor editor;
        editor.setNowOverride(1000);
        QTest::mouseClick(editor.findChild<QPushButton*>(QStringLiteral("signExp15m")), Qt::LeftButton);
        QCOMPARE(memberInteger(editor.payloadText(), "exp"), std::optional<qint64>(1000 + 900));
        QTest::mouseClick(editor.findChild<QPushButton*>(QStringLiteral("signExp1h")), Qt::LeftButton);
        QCOMPARE(memberInteger(editor.payloadText(), "exp"), std::optional<qint64>(1000 + 3600));
        QCOMPARE(editor.payloadText().count(QLatin1String("\"exp\"")), 1);
        QTest::mouseClick(editor.findChild<QPushButton*>(QStringLiteral("signExp1d")), Qt::LeftButton);
        QCOMPARE(memberInteger(editor.payloadText(), "exp"), std::optional<qint64>(1000 + 86400));
        QTest::mouseClick(editor.findChild<QPushButton*>(QStringLiteral("signIatNow")), Qt::LeftButton);
        QCOMPARE(memberInteger(editor.payloadText(), "iat"), std::optional<qint64>(1000));

        QTest::keyClicks(editor.findChild<QLineEdit*>(QStringLiteral("signKidEdit")), QStringLiteral("key-1"));
        QTest::mouseClick(editor.findChild<QPushButton*>(QStringLiteral("signSetKid")), Qt::LeftButton);
        QVERIFY2(editor.headerText().contains(QLatin1String("\"kid\": \"key-1\"")), qPrintable(editor.headerText()));
    }

    void copiesTheTokenAndItsPartsNeverTheSecret()
    {
        SigningEditor editor;
        editor.secretInput()->setSecret(kSecret, SecretEncoding::Text);
        const QString token = editor.signNow();
        QVERIFY(!token.isEmpty());
        QApplication::clipboard()->clear();
        QTest::mouseClick(editor.findChild<QPushButton*>(QStringLiteral("copySignedToken")), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), token);
        QTest::mouseClick(editor.findChild<QPushButton*>(QStringLiteral("copySignedPayload")), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), token.section(QLatin1Char('.'), 1, 1));
        QTest::mouseClick(editor.findChild<QPushButton*>(QStringLiteral("copySignedSignature")), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), token.section(QLatin1Char('.'), 2, 2));
        QVERIFY(!QApplication::clipboard()->text().contains(kSecret));
    }

    void refusesAShortSecret()
    {
        SigningEditor editor;
        editor.secretInput()->setSecret(QStringLiteral("short"), SecretEncoding::Text);
        QVERIFY(editor.signNow().isEmpty());
        QVERIFY(editor.statusText().startsWith(QLatin1String("Not signed")));
    }
};

QTEST_MAIN(TestSigningEditor)
#include "TestSigningEditor.moc"
