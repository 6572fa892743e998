#include "teach/GuidedTour.h"

#include "core/jose/PayloadChange.h"
#include "core/model/TokenDocument.h"
#include "core/model/Verdict.h"
#include "shell/MainWindow.h"
#include "teach/SignatureWalkthroughView.h"
#include "teach/TourHighlight.h"
#include "token/TokenEditor.h"
#include "verify/VerdictRole.h"
#include "verify/VerifyPanel.h"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QTextCursor>
#include <QVBoxLayout>
#include <optional>

namespace jwti {

GuidedTour::GuidedTour(MainWindow* window, Persistence persistence)
    : QDockWidget(tr("Guided tour"), window)
    , m_window(window)
    , m_persistence(persistence)
    , m_highlight(new TourHighlight(window))
    , m_progress(new QLabel(this))
    , m_title(new QLabel(this))
    , m_body(new QLabel(this))
    , m_live(new QLabel(this))
    , m_breakButton(new QPushButton(this))
    , m_back(new QPushButton(tr("&Back"), this))
    , m_next(new QPushButton(tr("&Next"), this))
    , m_leave(new QPushButton(tr("Leave"), this))
    , m_restart(new QPushButton(tr("Restart"), this))
{
    setObjectName(QStringLiteral("guidedTour"));
    setAccessibleName(tr("Guided tour"));
    setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);

    m_progress->setObjectName(QStringLiteral("tourProgress"));
    m_title->setObjectName(QStringLiteral("tourTitle"));
    m_title->setWordWrap(true);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    m_title->setFont(titleFont);
    m_body->setObjectName(QStringLiteral("tourText"));
    m_body->setAccessibleName(tr("Tour step"));
    m_body->setWordWrap(true);
    m_body->setTextFormat(Qt::RichText);
    m_body->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_body->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_live->setObjectName(QStringLiteral("tourLiveStatus"));
    m_live->setAccessibleName(tr("What the window says now"));
    m_live->setWordWrap(true);
    m_live->setTextFormat(Qt::PlainText);
    m_live->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_live->setFrameShape(QFrame::StyledPanel);
    m_live->setMargin(6);
    m_breakButton->setObjectName(QStringLiteral("tourBreakButton"));
    m_back->setObjectName(QStringLiteral("tourBack"));
    m_next->setObjectName(QStringLiteral("tourNext"));
    m_next->setDefault(true);
    m_leave->setObjectName(QStringLiteral("tourLeave"));
    m_leave->setToolTip(tr("Close the tour; it resumes at this step when you open it again"));
    m_restart->setObjectName(QStringLiteral("tourRestart"));
    m_restart->setToolTip(tr("Start the tour over with a fresh sample token"));

    auto* content = new QWidget(this);
    content->setMinimumWidth(260);
    auto* layout = new QVBoxLayout(content);
    layout->addWidget(m_progress);
    layout->addWidget(m_title);
    layout->addWidget(m_body);
    layout->addWidget(m_breakButton);
    layout->addWidget(m_live);
    layout->addStretch(1);
    auto* navigation = new QHBoxLayout;
    navigation->addWidget(m_back);
    navigation->addWidget(m_next);
    navigation->addStretch(1);
    layout->addLayout(navigation);
    auto* exits = new QHBoxLayout;
    exits->addWidget(m_restart);
    exits->addStretch(1);
    exits->addWidget(m_leave);
    layout->addLayout(exits);
    setWidget(content);

    connect(m_back, &QPushButton::clicked, this, &GuidedTour::back);
    connect(m_next, &QPushButton::clicked, this, &GuidedTour::next);
    connect(m_leave, &QPushButton::clicked, this, &GuidedTour::leave);
    connect(m_restart, &QPushButton::clicked, this, &GuidedTour::restart);
    connect(m_breakButton, &QPushButton::clicked, this, [this] {
        if (m_broken)
            undoBreak();
        else
            breakPayload();
    });
    connect(m_window->document(), &TokenDocument::verificationChanged, this, &GuidedTour::updateLive);
    connect(m_window->walkthroughView(), &SignatureWalkthroughView::refreshed, this, &GuidedTour::updateLive);

    window->addDockWidget(Qt::RightDockWidgetArea, this);
    hide();
}

void GuidedTour::open()
{
    rememberUserView();
    if (m_persistence == Persistence::Settings)
        m_step = std::clamp(QSettings().value(QLatin1String(kSettingsKey), 0).toInt(), 0, kStepCount - 1);
    show();
    raise();
    if (holdsSample()) {
        showCurrent();
        return;
    }
    loadSample();
}

void GuidedTour::restart()
{
    m_step = Intro;
    saveStep();
    show();
    loadSample();
}

QWidget* GuidedTour::highlightedWidget() const
{
    return m_highlight->isVisible() ? m_highlight->target() : nullptr;
}

void GuidedTour::leave()
{
    saveStep();
    hide();
    m_highlight->setTarget(nullptr);
    restoreUserView();
}

void GuidedTour::closeEvent(QCloseEvent* event)
{
    // Closing the panel is leaving: the step is kept for next time.
    saveStep();
    QDockWidget::closeEvent(event);
    m_highlight->setTarget(nullptr);
    restoreUserView();
}

void GuidedTour::rememberUserView()
{
    if (m_userViewSaved || holdsSample())
        return;
    m_userViewSaved = true;
    m_userText = m_window->document()->text();
    m_userTab = int(m_window->currentDetailTab());
    m_userSize = m_window->size();
}

void GuidedTour::restoreUserView()
{
    if (!m_userViewSaved)
        return;
    m_userViewSaved = false;
    // The user's own token comes back; with none before, the sample stays (something to look at, and the tour
    // resumes on it without making another).
    if (!m_userText.trimmed().isEmpty() && (holdsSample() || m_broken))
        m_window->loadToken(m_userText);
    m_userText.clear();
    m_window->showDetailTab(MainWindow::DetailTab(m_userTab));
    if (!m_window->isMaximized() && !m_window->isFullScreen() && m_window->size() != m_userSize)
        m_window->resize(m_userSize);
}

void GuidedTour::keyPressEvent(QKeyEvent* event)
{
    // Esc leaves the tour as it leaves a dialog: the same as the Leave button.
    if (event->key() == Qt::Key_Escape && event->modifiers() == Qt::NoModifier) {
        leave();
        return;
    }
    QDockWidget::keyPressEvent(event);
}

void GuidedTour::changeEvent(QEvent* event)
{
    QDockWidget::changeEvent(event);
    // The live box's colours are picked for the palette: a theme switch redraws them.
    if (event->type() == QEvent::PaletteChange)
        updateLive();
}

void GuidedTour::saveStep()
{
    if (m_persistence == Persistence::Settings)
        QSettings().setValue(QLatin1String(kSettingsKey), m_step);
}

void GuidedTour::next()
{
    if (m_step == Done) {
        // Finished: the next tour starts from the beginning.
        m_step = Intro;
        if (m_persistence == Persistence::Settings)
            QSettings().remove(QLatin1String(kSettingsKey));
        hide();
        m_highlight->setTarget(nullptr);
        restoreUserView();
        return;
    }
    goToStep(m_step + 1);
}

void GuidedTour::back()
{
    goToStep(m_step - 1);
}

void GuidedTour::goToStep(int step)
{
    if (step < 0 || step >= kStepCount)
        return;
    // Leaving the break step backwards restores the sample, so the verify step shows a valid token again.
    if (m_broken && step < Break)
        undoBreak();
    m_step = step;
    saveStep();
    if (m_waitingForSample)
        return;
    showCurrent();
}

bool GuidedTour::holdsSample() const
{
    return !m_sampleText.isEmpty() && m_window->document()->text() == m_sampleText;
}

void GuidedTour::loadSample()
{
    m_waitingForSample = true;
    m_broken = false;
    m_breakNote.clear();
    m_title->setText(tr("Preparing the tour"));
    m_body->setText(tr("Making a sample token with a fresh key…"));
    m_next->setEnabled(false);
    m_back->setEnabled(false);
    m_breakButton->hide();
    m_live->hide();
    disconnect(m_sampleConnection);
    m_sampleConnection = connect(m_window, &MainWindow::sampleLoaded, this, [this](const QString& name) {
        if (name != QLatin1String(kSampleName))
            return;
        disconnect(m_sampleConnection);
        m_waitingForSample = false;
        m_sampleText = m_window->document()->text();
        showCurrent();
        emit sampleReady();
    });
    m_window->loadSample(QLatin1String(kSampleName));
}

QString GuidedTour::stepTitle() const
{
    return m_title->text();
}

QString GuidedTour::stepText() const
{
    return m_body->text();
}

QString GuidedTour::liveText() const
{
    return m_live->isHidden() ? QString() : m_live->text();
}

void GuidedTour::showCurrent()
{
    m_progress->setText(tr("Step %1 of %2").arg(m_step + 1).arg(kStepCount));
    m_back->setEnabled(m_step > Intro);
    m_next->setEnabled(true);
    m_next->setText(m_step == Done ? tr("Fi&nish") : tr("&Next"));
    m_breakButton->setVisible(m_step == Break);
    m_live->setVisible(m_step == Verify || m_step == Break || m_step == Signature);
    QString title;
    QString body;
    switch (Step(m_step)) {
    case Intro:
        title = tr("What a JWT is");
        body = tr("<p>A JSON Web Token (RFC 7519) is three parts joined by dots: a <b>header</b>, a <b>payload</b> and "
                  "a <b>signature</b>, each written in base64url, an alphabet safe for URLs.</p>"
                  "<p>The token at the top left is a sample the tour has just made with a fresh secret. Each part has "
                  "its colour and its own underline: solid for the header, dotted for the payload, dashed for the "
                  "signature.</p>"
                  "<p>Base64url is an encoding, not encryption: anyone who has the token can read it. What makes it "
                  "trustworthy is the signature.</p>");
        m_window->tokenEditor()->setFocus();
        break;
    case Header:
        title = tr("The header");
        body = tr("<p>The first part decodes to the <b>header</b>, a JSON object about the token itself "
                  "(shown in the <i>Header</i> tab):</p><ul>"
                  "<li><b>alg</b> says how it is signed: HS256 is HMAC with SHA-256 and a shared secret "
                  "(RFC 7518 §3.2).</li>"
                  "<li><b>typ</b> says it is a JWT.</li>"
                  "<li><b>kid</b> names the key that signed it.</li></ul>"
                  "<p>A verifier never lets the token's alg choose how to check it: it knows which algorithm and "
                  "key it expects (RFC 8725 §3.1).</p>");
        m_window->showDetailTab(MainWindow::DetailTab::Header);
        break;
    case Payload:
        title = tr("The payload and its claims");
        body = tr("<p>The second part is the <b>payload</b>: statements called claims, explained one by one in the "
                  "<i>Claims</i> tab.</p><ul>"
                  "<li><b>sub</b>: who the token is about; <b>name</b>: a claim of the issuer's own.</li>"
                  "<li><b>iss</b>: who issued it; <b>aud</b>: who it is meant for.</li>"
                  "<li><b>iat</b> and <b>exp</b>: when it was issued and when it expires, in seconds since 1970 "
                  "(RFC 7519 §4.1).</li></ul>"
                  "<p>The payload is readable by anyone: never put a secret in it.</p>");
        m_window->showDetailTab(MainWindow::DetailTab::Claims);
        break;
    case Signature:
        title = tr("How the signature is made");
        body = tr("<p>The third part is the <b>signature</b>. It covers the first two parts exactly as written, "
                  "<i>header.payload</i>, called the signing input.</p>"
                  "<p>For HS256 the signer hashes the signing input together with the secret (HMAC). The <i>How "
                  "it's signed</i> tab shows each step with its value: the signing input, the inner keyed hash, the "
                  "tag, and the comparison with the token's own signature.</p>");
        m_window->showDetailTab(MainWindow::DetailTab::Walkthrough);
        break;
    case Verify:
        title = tr("A first verify");
        body = tr("<p>The <i>Verify</i> panel on the right holds the sample's secret. It recomputes the signature "
                  "and compares it with the token's, then checks the claims that need no expectation of yours: the "
                  "token has not expired, is already valid, and was not issued in the future. <b>aud</b> and "
                  "<b>iss</b> are checked only once you enter what you expect.</p>"
                  "<p>Its first line is the verdict, the decisive reason first; below it, every check with its "
                  "state. What it says now is in the box below.</p>");
        m_window->showVerify();
        break;
    case Break:
        title = tr("Change one character, watch the signature break");
        body = tr("<p>A signature protects every character. Press the button below: it changes one character of "
                  "the payload in the token editor, as if you had typed it. The payload still reads as JSON, with one "
                  "letter different.</p>"
                  "<p>Then read what the Verify panel says, in the box below, and how <i>How it's signed</i> marks "
                  "the step where the check fails.</p>");
        if (!m_breakNote.isEmpty())
            body += QStringLiteral("<p><b>%1</b></p>").arg(m_breakNote.toHtmlEscaped());
        m_window->showVerify();
        m_window->showDetailTab(MainWindow::DetailTab::Walkthrough);
        break;
    case Lessons:
        // The lessons are about the sample as issued, not the copy changed on the break step.
        undoBreak();
        title = tr("What this token teaches");
        body = tr("<p>The <i>Lessons</i> tab says how this very token behaves once issued: anyone holding it can "
                  "read its claims, it works until it expires whoever presents it, its size decides where it can be "
                  "kept, and with HS256 every verifier could also have signed it.</p>"
                  "<p><i>Copy redacted JSON</i> gives its shape with every value replaced, for sharing.</p>");
        m_window->showDetailTab(MainWindow::DetailTab::Lessons);
        break;
    case Done:
        title = tr("Done");
        body = tr("<p>You have read a token's header and claims, seen how its signature is made, verified it, and "
                  "watched one changed character break it.</p>"
                  "<p>Next, paste a token of your own, or open another sample from <i>File ▸ Sample tokens</i>: "
                  "RS256, PS256, ES256 and EdDSA sign with a private key and verify with its public key, and <i>How "
                  "it's signed</i> shows how each of them works.</p>"
                  "<p>The tour is in <i>Help ▸ Guided tour</i> (F1) whenever you want it again.</p>");
        break;
    }
    m_breakButton->setText(m_broken ? tr("Undo the change") : tr("Change one character of the payload"));
    // Framed: what this step talks about, so the words point at something.
    QWidget* target = nullptr;
    switch (Step(m_step)) {
    case Intro:
        target = m_window->tokenEditor();
        break;
    case Header:
    case Payload:
    case Signature:
    case Lessons:
        target = m_window->findChild<QWidget*>(QStringLiteral("detailTabs"));
        break;
    case Verify:
    case Break:
        // The panel's tab, which is on screen whole (the panel itself scrolls inside it).
        target = m_window->findChild<QWidget*>(QStringLiteral("sideTabs"));
        break;
    case Done:
        break;
    }
    m_highlight->setTarget(target);
    m_title->setText(title);
    m_body->setText(body);
    updateLive();
    emit stepChanged(m_step);
}

void GuidedTour::updateLive()
{
    if (m_waitingForSample || m_live->isHidden())
        return;
    // The verify panel's own words: the tour says nothing the panel does not.
    const Verdict& verdict = m_window->document()->verdict();
    QString text = tr("The Verify panel says: %1").arg(verdict.headline);
    if (m_step == Signature || m_step == Break) {
        const SignatureWalkthroughView* view = m_window->walkthroughView();
        const SignatureWalkthrough& walk = view->walkthrough();
        if (m_step == Signature)
            text = view->summaryText();
        else if (walk.failedStep >= 0 && size_t(walk.failedStep) < walk.steps.size())
            text += QLatin1Char('\n')
                + tr("How it's signed: step %1, “%2”, fails: %3.")
                      .arg(walk.failedStep + 1)
                      .arg(walk.steps[size_t(walk.failedStep)].title, walk.failureReason);
    }
    m_live->setText(text);
    // Coloured as the verify panel colours the same verdict, so the tour never looks more sure than the panel.
    const Palette::Role role = verdictRole(verdict.outcome);
    QPalette palette = m_live->palette();
    palette.setColor(QPalette::Window, Palette::background(role));
    palette.setColor(QPalette::WindowText, Palette::text(role));
    m_live->setPalette(palette);
    m_live->setAutoFillBackground(true);
}

bool GuidedTour::breakPayload()
{
    if (m_broken)
        return true;
    const std::optional<PayloadChange> change = findPayloadChange(m_window->document()->token());
    TokenEditor* editor = m_window->tokenEditor();
    if (!change || editor->isShowingPreview() || change->inputOffset >= editor->toPlainText().size()) {
        m_breakNote = tr("No character of this payload could be changed in place: try another token.");
        showCurrent();
        return false;
    }
    // An ordinary edit through the cursor: the user can undo it with Ctrl+Z like any typing.
    QTextCursor cursor(editor->document());
    cursor.setPosition(int(change->inputOffset));
    cursor.setPosition(int(change->inputOffset) + 1, QTextCursor::KeepAnchor);
    cursor.insertText(QString(change->to));
    editor->flushPendingDecode();
    editor->showInputOffset(change->inputOffset, 1);
    m_broken = true;
    m_breakNote = tr("Character %1 of the token changed from '%2' to '%3': in the payload, '%4' became '%5'.")
                      .arg(change->inputOffset + 1)
                      .arg(change->from)
                      .arg(change->to)
                      .arg(QChar::fromLatin1(change->byteFrom))
                      .arg(QChar::fromLatin1(change->byteTo));
    m_window->showVerify();
    m_window->showDetailTab(MainWindow::DetailTab::Walkthrough);
    showCurrent();
    return true;
}

void GuidedTour::undoBreak()
{
    if (!m_broken)
        return;
    m_broken = false;
    m_breakNote.clear();
    if (!m_sampleText.isEmpty())
        m_window->loadToken(m_sampleText);
    if (m_step == Break)
        showCurrent();
}

} // namespace jwti
