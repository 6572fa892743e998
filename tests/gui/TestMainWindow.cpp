// The window as a user drives it: paste, open, samples, errors in place, names for tests and screen readers.
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwk.h"
#include "core/jose/Jws.h"
#include "core/model/TokenDocument.h"
#include "core/model/Verdict.h"
#include "keys/KeyManagerWindow.h"
#include "keystore/KeyStore.h"
#include "shell/FileDialogs.h"
#include "shell/MainWindow.h"
#include "shell/SampleTokens.h"
#include "token/ClaimsModel.h"
#include "token/JsonView.h"
#include "token/SignatureView.h"
#include "token/TokenEditor.h"
#include "verify/VerifyPanel.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

using namespace jwti;

namespace {

QString makeToken(const QByteArray& header, const QByteArray& payload, const QByteArray& signature = "c2lnbmF0dXJl")
{
    return QString::fromLatin1(Base64Url::encode(header) + '.' + Base64Url::encode(payload) + '.' + signature);
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void keysMenuOpensTheKeyManagerOverTheWindowsStore()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        window.show();
        auto* action = window.findChild<QAction*>(QStringLiteral("actionKeyManager"));
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(QStringLiteral("Ctrl+K")));
        action->trigger();
        KeyManagerWindow* manager = nullptr;
        for (QWidget* widget : QApplication::topLevelWidgets()) {
            if (auto* candidate = qobject_cast<KeyManagerWindow*>(widget); candidate && candidate->isVisible())
                manager = candidate;
        }
        QVERIFY(manager);
        QVERIFY(window.keyStore());
        // A second trigger raises the same window rather than opening another.
        action->trigger();
        int visibleManagers = 0;
        for (QWidget* widget : QApplication::topLevelWidgets())
            visibleManagers += qobject_cast<KeyManagerWindow*>(widget) && widget->isVisible();
        QCOMPARE(visibleManagers, 1);
    }

    void showsTheEmptyStateAtStart()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        auto* stack = window.findChild<QStackedWidget*>(QStringLiteral("detailStack"));
        QVERIFY(stack);
        QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("emptyStatePage"));
        QVERIFY(window.findChild<QAbstractButton*>(QStringLiteral("emptySampleButton")));
        QVERIFY(!window.findChild<QPlainTextEdit*>(QStringLiteral("tokenEditor"))->placeholderText().isEmpty());
    }

    void showsHeaderAndPayloadInTheTokensKeyOrderWithNumbersAsWritten()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        const QString token = makeToken(R"({"typ":"JWT","alg":"HS256"})",
                                        R"({"sub":"x","zeta":1,"alpha":1e3,"big":123456789012345678901234567890})");
        QApplication::clipboard()->setText(token);
        window.findChild<QAction*>(QStringLiteral("actionPasteToken"))->trigger();

        QCOMPARE(window.findChild<QPlainTextEdit*>(QStringLiteral("tokenEditor"))->toPlainText(), token);
        const QString header = window.findChild<JsonView*>(QStringLiteral("headerView"))->text();
        QVERIFY2(header.indexOf(QLatin1String("\"typ\"")) < header.indexOf(QLatin1String("\"alg\"")),
                 qPrintable(header));
        QVERIFY(header.indexOf(QLatin1String("\"typ\"")) >= 0);
        const QString payload = window.findChild<JsonView*>(QStringLiteral("payloadView"))->text();
        const qsizetype sub = payload.indexOf(QLatin1String("\"sub\""));
        const qsizetype zeta = payload.indexOf(QLatin1String("\"zeta\""));
        const qsizetype alpha = payload.indexOf(QLatin1String("\"alpha\""));
        QVERIFY2(sub >= 0 && sub < zeta && zeta < alpha, qPrintable(payload));
        QVERIFY2(payload.contains(QLatin1String("1e3")), qPrintable(payload));
        QVERIFY2(payload.contains(QLatin1String("123456789012345678901234567890")), qPrintable(payload));
        auto* stack = window.findChild<QStackedWidget*>(QStringLiteral("detailStack"));
        QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("detailTabs"));
    }

    void aKeyPastedAsTheTokenIsOfferedToTheKeyField()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        KeySpec spec;
        spec.type = KeyType::Ec;
        spec.curve = QStringLiteral("P-256");
        const Result<Key> key = generateKey(spec);
        QVERIFY(key);
        const QString pem = QString::fromLatin1(exportPublicPem(*key));
        window.loadToken(pem);

        auto* panel = window.findChild<VerifyPanel*>();
        auto* useAsKey = panel->findChild<QPushButton*>(QStringLiteral("verifyUseAsKey"));
        QVERIFY(useAsKey);
        QVERIFY(!useAsKey->isHidden());
        const Verdict& pasted = window.findChild<TokenDocument*>()->verdict();
        QCOMPARE(pasted.outcome, VerdictOutcome::Malformed);
        QVERIFY(std::any_of(pasted.diagnosis.begin(), pasted.diagnosis.end(),
                            [](const Diagnosis& d) { return d.code == QLatin1String("not-a-token"); }));

        useAsKey->click();
        QVERIFY(window.findChild<QPlainTextEdit*>(QStringLiteral("tokenEditor"))->toPlainText().isEmpty());
        QCOMPARE(panel->findChild<QPlainTextEdit*>(QStringLiteral("verifyKeyEdit"))->toPlainText(), pem.trimmed());
        QVERIFY(useAsKey->isHidden());

        // The token the key signed now verifies with it.
        SignOptions options;
        options.alg = QStringLiteral("ES256");
        const Result<QByteArray> token = signToken(R"({"sub":"moved"})", *key, options);
        QVERIFY(token);
        window.loadToken(QString::fromLatin1(*token));
        QTRY_COMPARE(window.findChild<TokenDocument*>()->verdict().outcome, VerdictOutcome::Valid);
    }

    void marksABrokenCharacterAtItsOffset()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        QString token = makeToken(R"({"alg":"HS256","typ":"JWT"})", R"({"sub":"1234567890","name":"Jane"})");
        const qsizetype badOffset = token.indexOf(QLatin1Char('.')) + 5;
        token[badOffset] = QLatin1Char('*');
        window.loadToken(token);

        auto* problems = window.findChild<QListWidget*>(QStringLiteral("tokenProblems"));
        QVERIFY(problems);
        QVERIFY(problems->count() > 0);
        QVERIFY(!problems->isHidden());
        bool found = false;
        for (int i = 0; i < problems->count(); ++i) {
            if (problems->item(i)->data(Qt::UserRole + 1).toLongLong() == badOffset)
                found = true;
        }
        QVERIFY2(found, qPrintable(problems->item(0)->text()));

        // The character itself is marked in the editor with the error's wavy underline.
        auto* editor = window.findChild<TokenEditor*>(QStringLiteral("tokenEditor"));
        bool marked = false;
        for (const QTextEdit::ExtraSelection& selection : editor->extraSelections()) {
            if (selection.format.underlineStyle() == QTextCharFormat::WaveUnderline
                && selection.cursor.selectionStart() <= badOffset && selection.cursor.selectionEnd() > badOffset)
                marked = true;
        }
        QVERIFY(marked);
        QVERIFY(editor->describeOffset(badOffset).contains(QLatin1String("error")));
        // The header still reads.
        QVERIFY(window.findChild<JsonView*>(QStringLiteral("headerView"))->text().contains(QLatin1String("HS256")));
    }

    void showsTheTokenInspectedWithPasteNoiseOneUndoAway()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        const QString token = makeToken(R"({"alg":"HS256"})", R"({"sub":"a"})");
        const QString given = QStringLiteral("Bearer ") + token.left(10) + QStringLiteral("\n") + token.mid(10);
        window.loadToken(given);
        auto* editor = window.findChild<TokenEditor*>(QStringLiteral("tokenEditor"));
        auto* problems = window.findChild<QListWidget*>(QStringLiteral("tokenProblems"));
        // The editor shows what is inspected; the notes say what was removed and how to get it back.
        QCOMPARE(editor->toPlainText(), token);
        QCOMPARE(window.document()->text(), token);
        QVERIFY(problems->count() >= 2);
        const QString last = problems->item(problems->count() - 1)->text();
        QVERIFY2(problems->item(0)->text().contains(QLatin1String("\"Bearer \"")),
                 qPrintable(problems->item(0)->text()));
        QVERIFY2(last.contains(QLatin1String("Ctrl+Z")), qPrintable(last));
        QVERIFY(window.findChild<JsonView*>(QStringLiteral("payloadView"))->text().contains(QLatin1String("\"sub\"")));
        QVERIFY(editor->describeOffset(0).startsWith(QLatin1String("header")));
        // The verdict judges what is shown: no complaint about a prefix that is not there.
        QVERIFY2(!window.verifyPanel()->headline().contains(QLatin1String("Bearer")),
                 qPrintable(window.verifyPanel()->headline()));

        // One Undo gives back the text as given, which then stays as given and is judged so.
        editor->undo();
        QCOMPARE(editor->toPlainText(), given);
        QCOMPARE(window.document()->text(), given);
        QCOMPARE(window.document()->verdict().outcome, VerdictOutcome::Malformed);
        bool keptNote = false;
        for (int i = 0; i < problems->count(); ++i)
            keptNote = keptNote || problems->item(i)->text().contains(QLatin1String("kept as given"));
        QVERIFY(keptNote);
        // The segments are coloured at their place in the text as given, after the prefix.
        QVERIFY(editor->describeOffset(7).startsWith(QLatin1String("header")));
        QVERIFY(editor->describeOffset(0).isEmpty());

        // Pasted into the box (not loaded), it is cleaned the same way.
        editor->clear();
        QGuiApplication::clipboard()->setText(given);
        editor->paste();
        QCOMPARE(editor->toPlainText(), token);
        editor->undo();
        QCOMPARE(editor->toPlainText(), given);
    }

    void everyPaneAgreesThatTextIsNoToken_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("isKey");
        KeySpec spec;
        spec.type = KeyType::Rsa;
        spec.bits = 2048;
        const Key rsa = generateKey(spec).value();
        QTest::newRow("prose") << QStringLiteral("this is not a token at all, really!") << false;
        QTest::newRow("PEM public key") << QString::fromLatin1(exportPublicPem(rsa)) << true;
        QTest::newRow("JWK") << QString::fromLatin1(exportJwk(rsa.publicOnly())) << true;
        QTest::newRow("JWKS") << QString::fromLatin1(exportJwks({rsa.publicOnly()})) << true;
        QTest::newRow("certificate") << QStringLiteral("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n"
                                                       "-----END CERTIFICATE-----\n")
                                     << true;
    }

    void everyPaneAgreesThatTextIsNoToken()
    {
        QFETCH(QString, text);
        QFETCH(bool, isKey);
        MainWindow window(MainWindow::Options::NoSettings);
        window.loadToken(text);
        QVERIFY(window.document()->isNotAToken());
        const QString headline = window.verifyPanel()->headline();
        QVERIFY2(headline.startsWith(QLatin1String("This is not a JWT")), qPrintable(headline));
        // Shown as given: nothing of it is removed as paste noise.
        QCOMPARE(window.tokenEditor()->toPlainText(), text);
        // No pane shows parts of it or talks about an alg.
        for (const char* name : {"headerView", "payloadView"}) {
            auto* view = window.findChild<JsonView*>(QLatin1String(name));
            QCOMPARE(view->content(), JsonView::Content::Message);
            QVERIFY2(view->note().startsWith(QLatin1String("This is not a JWT")), qPrintable(view->note()));
        }
        QVERIFY2(window.findChild<SignatureView*>()->meaning().startsWith(QLatin1String("This is not a JWT")),
                 qPrintable(window.findChild<SignatureView*>()->meaning()));
        auto* alg = window.verifyPanel()->findChild<QLabel*>(QStringLiteral("verifyAlgLabel"));
        QVERIFY2(alg->isHidden() && !alg->text().contains(QLatin1String("alg")), qPrintable(alg->text()));
        QCOMPARE(window.findChild<ClaimsModel*>()->rowCount(), 0);
        QVERIFY(window.document()->findings().empty());
        // The problems list says it once, in the headline's words: no base64 complaints after it.
        auto* problems = window.findChild<QListWidget*>(QStringLiteral("tokenProblems"));
        QCOMPARE(problems->count(), 1);
        QCOMPARE(problems->item(0)->text(), headline);
        // No segment colours or error marks on it.
        QVERIFY(window.tokenEditor()->extraSelections().isEmpty());
        // A key or certificate is offered to the key field.
        auto* useAsKey = window.verifyPanel()->findChild<QPushButton*>(QStringLiteral("verifyUseAsKey"));
        QCOMPARE(!useAsKey->isHidden(), isKey);
    }

    void aMessageInTheHeaderOrPayloadTabHasNoEmptyBoxUnderIt()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        window.show();
        auto* header = window.findChild<JsonView*>(QStringLiteral("headerView"));
        auto* headerText = header->findChild<QPlainTextEdit*>(QStringLiteral("headerViewText"));
        auto* payloadText = window.findChild<QPlainTextEdit*>(QStringLiteral("payloadViewText"));
        window.loadToken(makeToken(R"({"alg":"HS256"})", R"({"sub":"a"})"));
        QVERIFY(!headerText->isHidden());
        QVERIFY(!payloadText->isHidden());

        window.loadToken(QStringLiteral("this is not a token at all, really!"));
        QCOMPARE(header->content(), JsonView::Content::Message);
        QVERIFY(!header->findChild<QLabel*>(QStringLiteral("headerViewNote"))->isHidden());
        QVERIFY(headerText->isHidden());
        QVERIFY(payloadText->isHidden());

        // A token again: its JSON is shown in the box.
        window.loadToken(makeToken(R"({"alg":"HS256"})", R"({"sub":"b"})"));
        QVERIFY(!headerText->isHidden());
        QVERIFY(payloadText->toPlainText().contains(QLatin1String("\"b\"")));
    }

    void opensATokenFileThroughTheFileDialogSeam()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("token.jwt"));
        const QString token = makeToken(R"({"alg":"HS256"})", R"({"sub":"from-file"})");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(token.toLatin1() + '\n');
        file.close();

        MainWindow window(MainWindow::Options::NoSettings);
        FileDialogs::setNextFileName(path);
        window.findChild<QAction*>(QStringLiteral("actionOpen"))->trigger();
        QVERIFY(
            window.findChild<JsonView*>(QStringLiteral("payloadView"))->text().contains(QLatin1String("from-file")));

        MainWindow fromArgument(MainWindow::Options::NoSettings);
        fromArgument.openTokenOrFile(path);
        QCOMPARE(fromArgument.document()->token().payload.json.has_value(), true);
        MainWindow fromToken(MainWindow::Options::NoSettings);
        fromToken.openTokenOrFile(token);
        QCOMPARE(fromToken.tokenEditor()->toPlainText(), token);
    }

    void clearEmptiesTheToken()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        window.loadToken(makeToken(R"({"alg":"HS256"})", R"({"sub":"a"})"));
        window.findChild<QAction*>(QStringLiteral("actionClear"))->trigger();
        QVERIFY(window.tokenEditor()->toPlainText().isEmpty());
        QCOMPARE(window.findChild<QStackedWidget*>(QStringLiteral("detailStack"))->currentIndex(), 0);
    }

    void copyActionsCopyTheTokenAndItsParts()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        const QString token = makeToken(R"({"alg":"HS256"})", R"({"sub":"a"})");
        window.loadToken(token);
        window.findChild<QAction*>(QStringLiteral("actionCopyToken"))->trigger();
        QCOMPARE(QApplication::clipboard()->text(), token);
        window.findChild<QAction*>(QStringLiteral("actionCopyPayload"))->trigger();
        QVERIFY(QApplication::clipboard()->text().contains(QLatin1String("\"sub\"")));
        window.findChild<QAction*>(QStringLiteral("actionCopySignature"))->trigger();
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("c2lnbmF0dXJl"));
    }

    void everySampleVerifiesWithItsKey_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString& name : SampleTokens::names()) {
            if (name != QLatin1String("none") && name != QLatin1String("malformed") && name != QLatin1String("expired"))
                QTest::newRow(qPrintable(name)) << name;
        }
    }

    void everySampleVerifiesWithItsKey()
    {
        QFETCH(QString, name);
        MainWindow window(MainWindow::Options::NoSettings);
        QSignalSpy loaded(&window, &MainWindow::sampleLoaded);
        window.findChild<QAction*>(QStringLiteral("actionSample_") + name)->trigger();
        QVERIFY(loaded.wait(60000));
        const SampleToken probe = SampleTokens::make(name, window.document()->now());
        if (!probe.error.isEmpty())
            QSKIP(qPrintable(
                QStringLiteral("this build of OpenSSL or the core cannot make %1: %2").arg(name, probe.error)));
        QCOMPARE(window.document()->token().alg(), name);
        const QString result = window.verifyPanel()->resultText();
        QVERIFY2(result.startsWith(QLatin1String("Valid: signature verified")), qPrintable(result));
        QVERIFY(window.document()->verdict().isValid());
    }

    void signatureViewSaysWhatTheSignatureIs()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        QSignalSpy loaded(&window, &MainWindow::sampleLoaded);
        window.loadSample(QStringLiteral("HS256"));
        QVERIFY(loaded.wait(30000));
        auto* view = window.findChild<SignatureView*>(QStringLiteral("signatureView"));
        QVERIFY2(view->lengthText().startsWith(QLatin1String("256 bits")), qPrintable(view->lengthText()));
        QVERIFY(view->meaning().contains(QLatin1String("HMAC")));
        QCOMPARE(view->hexText().count(QLatin1Char(' ')), 31);

        window.loadSample(QStringLiteral("ES256"));
        QVERIFY(loaded.wait(30000));
        QVERIFY(view->meaning().contains(QLatin1String("r and s")));
        auto* r = window.findChild<QPlainTextEdit*>(QStringLiteral("signaturePartA"));
        QVERIFY(!r->isHidden());
        QCOMPARE(r->toPlainText().count(QLatin1Char(' ')), 31); // 32 bytes of r
    }

    void unsecuredSampleHasNothingToVerifyAndACriticalFinding()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        QSignalSpy loaded(&window, &MainWindow::sampleLoaded);
        window.loadSample(QStringLiteral("none"));
        QVERIFY(loaded.wait(30000));
        QVERIFY2(window.verifyPanel()->resultText().startsWith(QLatin1String("Unsecured:")),
                 qPrintable(window.verifyPanel()->resultText()));
        bool critical = false;
        for (const Finding& finding : window.document()->findings())
            critical |= finding.severity == Severity::Critical;
        QVERIFY(critical);
    }

    void expiredSampleIsMarkedInTheClaimsTable()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        QSignalSpy loaded(&window, &MainWindow::sampleLoaded);
        window.loadSample(QStringLiteral("expired"));
        QVERIFY(loaded.wait(30000));
        auto* model = window.findChild<ClaimsModel*>();
        QVERIFY(model);
        const int row = model->rowOf(QStringLiteral("exp"));
        QVERIFY(row >= 0);
        QCOMPARE(model->index(row, 0).data(ClaimsModel::StatusCodeRole).toString(), QStringLiteral("expired"));
        const QString result = window.verifyPanel()->resultText();
        QVERIFY2(result.startsWith(QLatin1String("Invalid: expired")), qPrintable(result));
    }

    void everyInteractiveWidgetHasAnObjectNameAndAnAccessibleName()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        window.loadToken(makeToken(R"({"alg":"ES256"})", R"({"sub":"a"})"));
        QStringList missing;
        for (QWidget* widget : window.findChildren<QWidget*>()) {
            const bool interactive = qobject_cast<QAbstractButton*>(widget) || qobject_cast<QLineEdit*>(widget)
                || qobject_cast<QPlainTextEdit*>(widget) || qobject_cast<QComboBox*>(widget)
                || qobject_cast<QAbstractSpinBox*>(widget)
                || (qobject_cast<QAbstractItemView*>(widget) && !qobject_cast<QHeaderView*>(widget));
            if (!interactive || widget->objectName().startsWith(QLatin1String("qt_"))
                || qobject_cast<QAbstractSpinBox*>(widget->parentWidget())
                || qobject_cast<QLineEdit*>(widget->parentWidget())
                || qobject_cast<QAbstractItemView*>(widget->parentWidget()))
                continue;
            const auto* button = qobject_cast<QAbstractButton*>(widget);
            const bool named = !widget->accessibleName().isEmpty() || (button && !button->text().isEmpty());
            if (widget->objectName().isEmpty() || !named) {
                // Name the nearest named ancestor too, so a failure says where the widget lives.
                QWidget* owner = widget->parentWidget();
                while (owner && owner->objectName().isEmpty())
                    owner = owner->parentWidget();
                missing << QStringLiteral("%1 '%2' in '%3'")
                               .arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName(),
                                    owner ? owner->objectName() : QString());
            }
        }
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
    }

    void remembersGeometryOnlyNeverTokensOrKeys()
    {
        QSettings().clear();
        {
            MainWindow window;
            QSignalSpy loaded(&window, &MainWindow::sampleLoaded);
            window.loadSample(QStringLiteral("HS256"));
            QVERIFY(loaded.wait(30000));
            window.show();
            window.close();
        }
        const QSettings settings;
        QCOMPARE(settings.allKeys(), QStringList{QStringLiteral("window/geometry")});
        QSettings().clear();
    }
};

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
