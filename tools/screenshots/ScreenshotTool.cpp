// The documentation's screenshots (scripts/screenshots.sh, README): the real window and key manager, put into a
// state and grabbed to a PNG. A program of its own, never installed, so the installed jwt-inspector has no hidden
// options. It waits in nested event loops and by the clock, which the window itself never does.
//
// jwti-screenshots --state STATE --out FILE.png [--theme light|dark] [--size WIDTHxHEIGHT]
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
#include "core/jose/Jwe.h"
#include "core/jose/Jws.h"
#include "core/model/TokenDocument.h"
#include "decrypt/DecryptPanel.h"
#include "keys/KeyManagerWindow.h"
#include "keys/KeyWizard.h"
#include "keystore/KeyStore.h"
#include "shell/AboutDialog.h"
#include "shell/Gui.h"
#include "shell/MainWindow.h"
#include "shell/Palette.h"
#include "shell/SampleTokens.h"
#include "shell/SettingsDialog.h"
#include "sign/SigningEditor.h"
#include "teach/GuidedTour.h"
#include "teach/SignatureWalkthroughView.h"
#include "token/TokenEditor.h"
#include "verify/KeyInput.h"
#include "verify/SecretInput.h"
#include "verify/VerifyPanel.h"

#include <QAbstractButton>
#include <QApplication>
#include <QEventLoop>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QSplitter>
#include <QTimer>
#include <cstdio>
#include <memory>

using namespace jwti;

namespace {

struct ScreenshotRequest
{
    QString state;
    QString output;
    QString theme;
    QSize size{1400, 860};
};

void waitForSample(MainWindow& window, const QString& name)
{
    QEventLoop loop;
    QObject::connect(&window, &MainWindow::sampleLoaded, &loop, &QEventLoop::quit);
    window.loadSample(name);
    if (window.isLoadingSample())
        loop.exec();
}

// The walk-through's steps are tall: a short token needs little of the window's height.
void giveTheDetailsRoom(MainWindow& window)
{
    if (auto* splitter = window.findChild<QSplitter*>(QStringLiteral("tokenSplitter")))
        splitter->setSizes({150, 700});
}

// The JWE states: an RSA-OAEP-256 + A256GCM token with a signed JWT inside (an encrypted ID token), opened with no
// key, with its private key, with another key, opened inside, and its walk-through.
bool setUpJweState(MainWindow& window, const QString& state)
{
    const Key rsa = generateKey({KeyType::Rsa, 2048, {}}).value();
    const Key hmac = Key::fromSecret(SecretBytes(SampleTokens::sampleSecret(32).toUtf8()));
    SignOptions sign;
    sign.alg = QStringLiteral("HS256");
    const qint64 now = window.document()->now();
    const QByteArray claims = QStringLiteral(R"({"sub":"1234567890","name":"Jane Doe","iss":"https://issuer.example",)"
                                             R"("iat":%1,"exp":%2})")
                                  .arg(now - 60)
                                  .arg(now + 3600)
                                  .toUtf8();
    JweEncryptOptions options;
    options.alg = QStringLiteral("RSA-OAEP-256");
    options.enc = QStringLiteral("A256GCM");
    options.cty = QStringLiteral("JWT");
    options.kid = QStringLiteral("enc-2026");
    const QByteArray token = encryptJwe(signToken(claims, hmac, sign).value(), rsa.publicOnly(), options).value();
    window.loadToken(QString::fromLatin1(token));
    window.verifyPanel()->secretInput()->setSecret(SampleTokens::sampleSecret(32), SecretEncoding::Text);
    window.showDecrypt();
    DecryptPanel* panel = window.decryptPanel();
    if (state == QLatin1String("jwe-failed")) {
        const Key other = generateKey({KeyType::Rsa, 2048, {}}).value();
        panel->keyInput()->setKeyText(QString::fromLatin1(exportPrivatePem(other).value()));
    } else if (state != QLatin1String("jwe")) {
        panel->keyInput()->setKeyText(QString::fromLatin1(exportPrivatePem(rsa).value()));
    }
    if (state == QLatin1String("jwe-walkthrough") || state == QLatin1String("jwe-failed")) {
        giveTheDetailsRoom(window);
        window.showDetailTab(MainWindow::DetailTab::Walkthrough);
    } else {
        window.showDetailTab(MainWindow::DetailTab::Header);
    }
    if (state == QLatin1String("jwe-nested")) {
        QEventLoop loop;
        QTimer::singleShot(3000, &loop, &QEventLoop::quit);
        QObject::connect(panel, &DecryptPanel::verdictChanged, &loop, [&loop, panel] {
            if (panel->verdict().isDecrypted())
                loop.quit();
        });
        if (!panel->verdict().isDecrypted())
            loop.exec();
        if (auto* open = window.findChild<QAbstractButton*>(QStringLiteral("decryptOpenInner")))
            open->click();
        window.showDetailTab(MainWindow::DetailTab::Payload);
    }
    return true;
}

bool setUpState(MainWindow& window, const QString& state)
{
    if (state.startsWith(QLatin1String("jwe")))
        return setUpJweState(window, state);
    if (state == QLatin1String("empty"))
        return true;
    if (state == QLatin1String("valid")) {
        waitForSample(window, QStringLiteral("HS256"));
        window.showDetailTab(MainWindow::DetailTab::Claims);
        return true;
    }
    if (state == QLatin1String("invalid")) {
        waitForSample(window, QStringLiteral("HS256"));
        window.verifyPanel()->secretInput()->setSecret(
            SampleTokens::sampleSecret(32).replace(0, 13, QStringLiteral("a-wrong-guess")), SecretEncoding::Text);
        window.showDetailTab(MainWindow::DetailTab::Payload);
        return true;
    }
    if (state == QLatin1String("error")) {
        waitForSample(window, QStringLiteral("malformed"));
        window.showDetailTab(MainWindow::DetailTab::Payload);
        return true;
    }
    if (state == QLatin1String("findings")) {
        waitForSample(window, QStringLiteral("none"));
        window.showDetailTab(MainWindow::DetailTab::Findings);
        return true;
    }
    if (state == QLatin1String("signing")) {
        window.showSigning();
        SigningEditor* editor = window.signingEditor();
        editor->setAlg(QStringLiteral("HS256"));
        editor->secretInput()->setSecret(SampleTokens::sampleSecret(32), SecretEncoding::Text);
        editor->setMember(false, QStringLiteral("exp"), QByteArray::number(window.document()->now() + 3600));
        editor->signNow();
        window.loadToken(editor->signedToken());
        window.showDetailTab(MainWindow::DetailTab::Payload);
        return true;
    }
    if (state == QLatin1String("walkthrough-rs256")) {
        waitForSample(window, QStringLiteral("RS256"));
        giveTheDetailsRoom(window);
        window.showDetailTab(MainWindow::DetailTab::Walkthrough);
        // The padded block, the heart of PKCS#1 v1.5, once the window is shown and the steps are laid out.
        QTimer::singleShot(150, window.walkthroughView(), [view = window.walkthroughView()] {
            view->showStep(view->stepIndex(QStringLiteral("pkcs1-padding")));
        });
        return true;
    }
    if (state == QLatin1String("walkthrough-failed") || state == QLatin1String("tour")) {
        // The tour's own "change one character of the payload" step: the sample verifies no more.
        QEventLoop loop;
        window.showGuidedTour();
        GuidedTour* tour = window.guidedTour();
        QObject::connect(tour, &GuidedTour::sampleReady, &loop, &QEventLoop::quit);
        if (!tour->isSampleReady())
            loop.exec();
        tour->goToStep(GuidedTour::Break);
        tour->breakPayload();
        if (state == QLatin1String("walkthrough-failed"))
            tour->leave();
        giveTheDetailsRoom(window);
        window.showDetailTab(MainWindow::DetailTab::Walkthrough);
        return true;
    }
    if (state == QLatin1String("lessons")) {
        waitForSample(window, QStringLiteral("RS256"));
        window.showDetailTab(MainWindow::DetailTab::Lessons);
        return true;
    }
    if (state == QLatin1String("claims")) {
        waitForSample(window, QStringLiteral("expired"));
        window.showDetailTab(MainWindow::DetailTab::Claims);
        return true;
    }
    if (state.startsWith(QLatin1String("not-a-token"))) {
        // Every tab says it in one line; not-a-token-base64, -walkthrough and -lessons show those tabs.
        window.loadToken(QStringLiteral("this is not a token at all, really!"));
        const QString tab = state.mid(int(qstrlen("not-a-token")));
        window.showDetailTab(tab == QLatin1String("-base64")            ? MainWindow::DetailTab::Base64
                                 : tab == QLatin1String("-walkthrough") ? MainWindow::DetailTab::Walkthrough
                                 : tab == QLatin1String("-lessons")     ? MainWindow::DetailTab::Lessons
                                                                        : MainWindow::DetailTab::Header);
        return true;
    }
    if (state == QLatin1String("trace")) {
        // The cursor on a payload member: its characters light up in the encoded token (TraceLinker).
        waitForSample(window, QStringLiteral("HS256"));
        window.showDetailTab(MainWindow::DetailTab::Payload);
        auto* payload = window.findChild<QPlainTextEdit*>(QStringLiteral("payloadViewText"));
        if (!payload)
            return false;
        QTextCursor cursor(payload->document());
        cursor.setPosition(int(std::max<qsizetype>(0, payload->toPlainText().indexOf(QLatin1String("\"sub\"")) + 2)));
        payload->setTextCursor(cursor);
        return true;
    }
    if (state == QLatin1String("base64")) {
        // The last characters of the payload selected: a short final group, its spare bits explained.
        waitForSample(window, QStringLiteral("HS256"));
        const QString token = window.tokenEditor()->toPlainText();
        const qsizetype payloadEnd = token.lastIndexOf(QLatin1Char('.'));
        window.tokenEditor()->showInputOffset(std::max<qsizetype>(0, payloadEnd - 7), 7);
        window.showDetailTab(MainWindow::DetailTab::Base64);
        return true;
    }
    return false;
}

// Dialogs are grabbed on their own, shown over the window as a user would see them.
std::unique_ptr<QDialog> makeDialog(MainWindow& window, const QString& state)
{
    if (state == QLatin1String("settings"))
        return std::make_unique<SettingsDialog>(window.settings(), &window);
    if (state == QLatin1String("about"))
        return std::make_unique<AboutDialog>(&window);
    return nullptr;
}

void settle(int milliseconds)
{
    QEventLoop loop;
    QTimer::singleShot(milliseconds, &loop, &QEventLoop::quit);
    loop.exec();
}

// The key manager as a new user's keychain has it: an RSA-4096 key from elsewhere and an HMAC secret, stored in the
// session's Secret Service (run inside a private desktop session: scripts/screenshots.sh). "wizard-N" grabs page N
// of the key wizard over it.
int takeKeysScreenshot(const ScreenshotRequest& request)
{
    KeyStore store;
    if (auto loaded = store.reload(); !loaded) {
        std::fprintf(stderr, "key index: %s\n", qPrintable(loaded.message()));
        return 4;
    }
    auto addKey = [&store](const KeySpec& spec, const QString& name, const QString& set) {
        Result<Key> key = generateKey(spec);
        if (!key)
            return false;
        NewKeyOptions options;
        options.name = name;
        options.keySet = set;
        options.source = QStringLiteral("generated");
        bool done = false;
        bool stored = false;
        QEventLoop loop;
        store.add(*key, options, &loop, [&](Result<KeyRecord> record) {
            stored = record.ok();
            done = true;
            loop.quit();
        });
        if (!done)
            loop.exec();
        return stored;
    };
    if (store.records().empty()
        && (!addKey({KeyType::Rsa, 4096, {}}, QStringLiteral("partner signing key"), QStringLiteral("partner"))
            || !addKey({KeyType::Oct, 256, {}}, QStringLiteral("internal HMAC"), QStringLiteral("internal")))) {
        std::fprintf(stderr, "the keychain refused the keys\n");
        return 4;
    }
    KeyManagerWindow manager(&store);
    manager.resize(request.size);
    manager.show();
    settle(400);
    QWidget* shot = &manager;
    QPointer<KeyWizard> wizard;
    if (request.state.startsWith(QLatin1String("wizard-"))) {
        const int page = request.state.mid(7).toInt();
        wizard = manager.openWizard(false);
        settle(300);
        for (int i = 1; i < page && wizard; ++i) {
            QAbstractButton* next
                = wizard->button(wizard->currentPage()->isCommitPage() ? QWizard::CommitButton : QWizard::NextButton);
            for (int wait = 0; wait < 600 && !next->isEnabled(); ++wait)
                settle(100);
            // A set of its own per run, so the summary shows the new key as its set's active one.
            if (wizard->currentId() == KeyWizard::NamePage) {
                if (auto* keySet = wizard->findChild<QLineEdit*>(QStringLiteral("keySet")))
                    keySet->setText(QStringLiteral("web-%1").arg(store.records().size()));
            }
            next->click();
            settle(400);
        }
        for (int wait = 0; wait < 600 && wizard && !wizard->button(QWizard::NextButton)->isEnabled()
             && !wizard->button(QWizard::FinishButton)->isEnabled();
             ++wait)
            settle(100);
        shot = wizard;
    }
    settle(300);
    return shot && shot->grab().save(request.output) ? 0 : 3;
}

int takeScreenshot(MainWindow& window, const ScreenshotRequest& request)
{
    if (std::unique_ptr<QDialog> dialog = makeDialog(window, request.state)) {
        window.show();
        dialog->show();
        QEventLoop settle;
        QTimer::singleShot(400, &settle, &QEventLoop::quit);
        settle.exec();
        return dialog->grab().save(request.output) ? 0 : 3;
    }
    if (!setUpState(window, request.state)) {
        std::fprintf(stderr, "unknown screenshot state: %s\n", qPrintable(request.state));
        return 2;
    }
    window.show();
    // Let layouts settle and every pending paint happen before grabbing.
    QEventLoop settle;
    QTimer::singleShot(400, &settle, &QEventLoop::quit);
    settle.exec();
    const QPixmap pixmap = window.grab();
    if (!pixmap.save(request.output)) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(request.output));
        return 3;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    describeApplication();
    ScreenshotRequest request;
    const QStringList args = QApplication::arguments().mid(1);
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString& arg = args[i];
        const bool hasValue = i + 1 < args.size();
        if (arg == QLatin1String("--state") && hasValue) {
            request.state = args[++i];
        } else if (arg == QLatin1String("--out") && hasValue) {
            request.output = args[++i];
        } else if (arg == QLatin1String("--theme") && hasValue) {
            request.theme = args[++i];
        } else if (arg == QLatin1String("--size") && hasValue) {
            const QStringList size = args[++i].split(QLatin1Char('x'));
            if (size.size() != 2 || size[0].toInt() <= 0 || size[1].toInt() <= 0) {
                std::fprintf(stderr, "--size wants WIDTHxHEIGHT\n");
                return 2;
            }
            request.size = QSize(size[0].toInt(), size[1].toInt());
        } else {
            std::fprintf(stderr,
                         "usage: jwti-screenshots --state STATE --out FILE.png [--theme light|dark] "
                         "[--size WIDTHxHEIGHT]\n");
            return 2;
        }
    }
    if (request.state.isEmpty() || request.output.isEmpty()) {
        std::fprintf(stderr, "jwti-screenshots: --state and --out are required\n");
        return 2;
    }

    Palette::rememberDesktop(app);
    Palette::apply(app, request.theme == QLatin1String("dark") ? Palette::Theme::Dark : Palette::Theme::Light);
    if (request.state == QLatin1String("keys") || request.state.startsWith(QLatin1String("wizard-")))
        return takeKeysScreenshot(request);
    MainWindow window(MainWindow::Options::NoSettings);
    window.resize(request.size);
    return takeScreenshot(window, request);
}
