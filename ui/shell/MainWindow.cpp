#include "shell/MainWindow.h"

#include "core/jose/Base64Url.h"
#include "core/model/TokenDocument.h"
#include "core/model/Verdict.h"
#include "decrypt/DecryptPanel.h"
#include "keys/KeyManagerWindow.h"
#include "keys/KeystoreDecryptBridge.h"
#include "keys/KeystoreVerifyBridge.h"
#include "keystore/KeyStore.h"
#include "shell/AboutDialog.h"
#include "shell/EmptyStatePage.h"
#include "shell/FileDialogs.h"
#include "shell/Palette.h"
#include "shell/RecentMenus.h"
#include "shell/SettingsDialog.h"
#include "shell/WindowPlacement.h"
#include "sign/SigningEditor.h"
#include "teach/Base64Inspector.h"
#include "teach/DecryptionWalkthroughView.h"
#include "teach/GuidedTour.h"
#include "teach/LessonsView.h"
#include "teach/SignatureWalkthroughView.h"
#include "teach/TraceLinker.h"
#include "token/ClaimsTable.h"
#include "token/FindingsList.h"
#include "token/JsonView.h"
#include "token/SignatureView.h"
#include "token/TokenEditor.h"
#include "verify/KeyInput.h"
#include "verify/SecretInput.h"
#include "verify/VerifyPanel.h"

#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDateTime>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStringDecoder>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace jwti {

namespace {

const char* const kGeometryKey = "window/geometry";

enum ProblemRole { OffsetRole = Qt::UserRole + 1, LengthRole };

} // namespace

MainWindow::MainWindow(Options options, QWidget* parent)
    : QMainWindow(parent)
    , m_options(options)
    , m_document(new TokenDocument(this))
    , m_editor(new TokenEditor(m_document, this))
    , m_legend(new QLabel(this))
    , m_previewBanner(new QLabel(this))
    , m_problems(new QListWidget(this))
    , m_detailStack(new QStackedWidget(this))
    , m_emptyPage(new EmptyStatePage(this))
    , m_detailTabs(new QTabWidget(this))
    , m_headerView(new JsonView(QStringLiteral("headerView"), tr("Decoded header"), this))
    , m_payloadView(new JsonView(QStringLiteral("payloadView"), tr("Decoded payload"), this))
    , m_signatureView(new SignatureView(this))
    , m_claimsTable(new ClaimsTable(m_document, this))
    , m_findingsList(new FindingsList(m_document, this))
    , m_sideTabs(new QTabWidget(this))
    , m_verifyPanel(new VerifyPanel(m_document, this))
    , m_signingEditor(new SigningEditor(this))
    , m_mainSplitter(new QSplitter(Qt::Horizontal, this))
    , m_statusSummary(new QLabel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("JWT Inspector"));
    setAccessibleName(tr("JWT Inspector"));

    // The legend names each underline style, so segments are told apart without colour.
    m_legend->setObjectName(QStringLiteral("segmentLegend"));
    m_legend->setTextFormat(Qt::RichText);
    showLegend();
    m_legend->setAccessibleName(tr("Legend of the token colours and underlines"));
    m_legend->setWordWrap(true);
    // Splitters ignore height-for-width: the wrapped legend asks for its lines' height itself (eventFilter).
    m_legend->installEventFilter(this);
    m_previewBanner->setObjectName(QStringLiteral("largeTokenBanner"));
    m_previewBanner->setWordWrap(true);
    m_previewBanner->setAccessibleName(tr("Large token notice"));
    m_previewBanner->hide();
    m_problems->setObjectName(QStringLiteral("tokenProblems"));
    m_problems->setAccessibleName(tr("Problems in the token and notes about removed paste noise"));
    m_problems->setWordWrap(true);
    // Long lines wrap to the list's width (never a sideways scroll bar that hides the line it scrolls).
    m_problems->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_problems->setResizeMode(QListView::Adjust);
    m_problems->setMaximumHeight(m_problems->fontMetrics().lineSpacing() * 5 + 12);
    // As tall as its lines (up to five): a one-line note takes one line from the token box, not five.
    m_problems->installEventFilter(this);
    m_problems->hide();

    auto* tokenLabel = new QLabel(tr("Encoded &token:"), this);
    tokenLabel->setBuddy(m_editor);
    auto* tokenArea = new QWidget(this);
    auto* tokenLayout = new QVBoxLayout(tokenArea);
    tokenLayout->setContentsMargins(0, 0, 0, 0);
    tokenLayout->addWidget(tokenLabel);
    tokenLayout->addWidget(m_previewBanner);
    // A token opened out of a JWE says so, with the way back to the JWE.
    m_innerBanner = new QWidget(this);
    m_innerBanner->setObjectName(QStringLiteral("innerTokenBanner"));
    auto* innerText
        = new QLabel(tr("Inside a JWE: this token was decrypted from the encrypted token you opened."), m_innerBanner);
    innerText->setWordWrap(true);
    innerText->setAccessibleName(innerText->text());
    auto* back = new QPushButton(tr("Back to the e&ncrypted token"), m_innerBanner);
    back->setObjectName(QStringLiteral("backToOuterToken"));
    back->setAccessibleName(tr("Back to the outer token (the JWE)"));
    connect(back, &QPushButton::clicked, this, [this] {
        const QString outer = m_outerToken;
        m_innerToken.clear();
        m_outerToken.clear();
        loadToken(outer);
        showDecrypt();
    });
    auto* bannerLayout = new QHBoxLayout(m_innerBanner);
    bannerLayout->setContentsMargins(0, 0, 0, 0);
    bannerLayout->addWidget(innerText, 1);
    bannerLayout->addWidget(back);
    m_innerBanner->hide();
    tokenLayout->addWidget(m_innerBanner);
    tokenLayout->addWidget(m_editor, 1);
    // Notes and problems below take their own room: the token itself always shows a few lines.
    m_editor->setMinimumHeight(m_editor->fontMetrics().lineSpacing() * 4 + 2 * m_editor->frameWidth() + 8);
    tokenLayout->addWidget(m_legend);
    tokenLayout->addWidget(m_problems);

    m_detailTabs->setObjectName(QStringLiteral("detailTabs"));
    m_detailTabs->setAccessibleName(tr("Decoded token"));
    m_detailTabs->addTab(m_headerView, tr("Header"));
    m_detailTabs->addTab(m_payloadView, tr("Payload"));
    m_detailTabs->addTab(m_signatureView, tr("Signature"));
    m_detailTabs->addTab(m_claimsTable, tr("Claims"));
    m_detailTabs->addTab(m_findingsList, tr("Findings"));
    m_base64Inspector = new Base64Inspector(m_document, m_editor, this);
    m_detailTabs->addTab(m_base64Inspector, tr("Base64url"));
    m_walkthroughView = new SignatureWalkthroughView(m_document, this);
    // A JWE is decrypted, not verified: its walk-through takes the signature walk-through's place (onTokenKindChanged).
    m_decryptPanel = new DecryptPanel(m_document, this);
    m_decryptionWalkthroughView = new DecryptionWalkthroughView(m_document, m_decryptPanel, this);
    m_walkthroughStack = new QStackedWidget(this);
    m_walkthroughStack->setObjectName(QStringLiteral("walkthroughStack"));
    m_walkthroughStack->addWidget(m_walkthroughView);
    m_walkthroughStack->addWidget(m_decryptionWalkthroughView);
    m_detailTabs->addTab(m_walkthroughStack, tr("How it's signed"));
    m_lessonsView = new LessonsView(m_document, this);
    m_detailTabs->addTab(m_lessonsView, tr("Lessons"));
    m_detailStack->setObjectName(QStringLiteral("detailStack"));
    m_detailStack->addWidget(m_emptyPage);
    m_detailStack->addWidget(m_detailTabs);

    auto* leftSplitter = new QSplitter(Qt::Vertical, this);
    leftSplitter->setObjectName(QStringLiteral("tokenSplitter"));
    leftSplitter->addWidget(tokenArea);
    leftSplitter->addWidget(m_detailStack);
    leftSplitter->setStretchFactor(0, 1);
    leftSplitter->setStretchFactor(1, 2);
    leftSplitter->setChildrenCollapsible(false);

    auto* verifyScroll = new QScrollArea(this);
    verifyScroll->setObjectName(QStringLiteral("verifyScroll"));
    verifyScroll->setWidget(m_verifyPanel);
    // A key pasted where the token goes moved to the key field: the token box is cleared, so it is not kept twice.
    connect(m_verifyPanel, &VerifyPanel::keyTextMovedFromToken, this, [this] {
        loadToken(QString());
        statusBar()->showMessage(tr("Moved to the key field. Now paste or open the token to verify."), 5000);
    });
    verifyScroll->setWidgetResizable(true);
    verifyScroll->setFrameShape(QFrame::NoFrame);
    // Never sideways: the splitter keeps the panel as wide as its narrowest layout (it wraps and elides down to
    // that), which is known once its fonts and style are applied and changes with what it shows (eventFilter).
    m_verifyScroll = verifyScroll;
    m_verifyPanel->installEventFilter(this);
    m_sideTabs->setObjectName(QStringLiteral("sideTabs"));
    m_sideTabs->setAccessibleName(tr("Verify and sign"));
    m_sideTabs->addTab(verifyScroll, tr("Verify"));
    // The signing editor needs more height than a small screen has: it scrolls rather than squeezing its JSON boxes.
    auto* signScroll = new QScrollArea(this);
    signScroll->setObjectName(QStringLiteral("signScroll"));
    signScroll->setWidget(m_signingEditor);
    signScroll->setWidgetResizable(true);
    signScroll->setFrameShape(QFrame::NoFrame);
    m_sideTabs->addTab(signScroll, tr("Sign"));
    auto* decryptScroll = new QScrollArea(this);
    decryptScroll->setObjectName(QStringLiteral("decryptScroll"));
    decryptScroll->setWidget(m_decryptPanel);
    decryptScroll->setWidgetResizable(true);
    decryptScroll->setFrameShape(QFrame::NoFrame);
    m_sideTabs->addTab(decryptScroll, tr("Decrypt"));
    connect(m_decryptPanel, &DecryptPanel::innerTokenRequested, this, &MainWindow::openInnerToken);

    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->addWidget(leftSplitter);
    m_mainSplitter->addWidget(m_sideTabs);
    m_mainSplitter->setStretchFactor(0, 3);
    m_mainSplitter->setStretchFactor(1, 2);
    m_mainSplitter->setChildrenCollapsible(false);
    // The platform's own spacing around the panes, so nothing touches the window frame.
    const int margin = style()->pixelMetric(QStyle::PM_LayoutLeftMargin);
    m_mainSplitter->setContentsMargins(margin, margin / 2, margin, 0);
    setCentralWidget(m_mainSplitter);

    m_statusSummary->setObjectName(QStringLiteral("statusSummary"));
    m_statusSummary->setAccessibleName(tr("Token summary"));
    statusBar()->setObjectName(QStringLiteral("statusBar"));
    statusBar()->addPermanentWidget(m_statusSummary);

    // Tests and screenshots (NoSettings) run with the defaults and leave no recent files or tokens behind.
    m_settings = m_options == Options::NoSettings ? AppSettings() : AppSettings::load();
    m_recentMenus = new RecentMenus(m_document, m_options != Options::NoSettings, this);
    connect(m_recentMenus, &RecentMenus::openFileRequested, this, &MainWindow::openFile);
    connect(m_recentMenus, &RecentMenus::tokenRequested, this, &MainWindow::loadToken);
    buildMenus();
    applySettings();

    connect(m_document, &TokenDocument::tokenChanged, this, &MainWindow::onTokenChanged);
    connect(m_document, &TokenDocument::tokenChanged, this, &MainWindow::onTokenKindChanged);
    // After onTokenChanged: the linker traces the cursor again in the views the window just filled.
    m_traceLinker = new TraceLinker(m_document, m_editor, m_headerView, m_payloadView, this);
    connect(m_traceLinker, &TraceLinker::descriptionChanged, this, [this](const QString& description) {
        const QString selection = describeSelection();
        if (!selection.isEmpty())
            statusBar()->showMessage(selection);
        else if (!description.isEmpty())
            statusBar()->showMessage(description);
    });
    connect(m_editor, &QPlainTextEdit::selectionChanged, this, [this] {
        const QString selection = describeSelection();
        if (!selection.isEmpty())
            statusBar()->showMessage(selection);
        else if (statusBar()->currentMessage().startsWith(tr("Selected character")))
            statusBar()->clearMessage(); // deselected: the range is gone, so is what was said about it
    });
    connect(m_document, &TokenDocument::findingsChanged, this, &MainWindow::onFindingsChanged);
    connect(m_document, &TokenDocument::verificationChanged, this, &MainWindow::updateStatus);
    connect(m_decryptPanel, &DecryptPanel::verdictChanged, this, &MainWindow::updateStatus);
    connect(m_document, &TokenDocument::decodingChanged, this, [this] {
        // A large token is read off the UI thread: say so instead of showing the previous token's parts.
        if (!m_document->isDecoding()) {
            statusBar()->clearMessage();
            return;
        }
        statusBar()->showMessage(tr("Decoding a large token (%1 characters)…").arg(m_document->text().size()));
        m_headerView->showMessage(tr("Decoding…"));
        m_payloadView->showMessage(tr("Decoding…"));
    });
    connect(m_editor, &TokenEditor::fileDropped, this, &MainWindow::openFile);
    connect(m_editor, &TokenEditor::previewChanged, this, [this](bool preview, qsizetype length) {
        m_previewBanner->setVisible(preview);
        m_previewBanner->setText(
            tr("This token is %1 characters long: it is decoded in full, but only its first %2 characters are shown "
               "here, read-only. Paste or open another token, or clear it (Edit menu), to start over.")
                .arg(length)
                .arg(TokenEditor::kPreviewChars));
    });
    connect(m_editor, &TokenEditor::cursorPlaceChanged, this, [this](const QString& place) {
        if (const QString selection = describeSelection(); !selection.isEmpty())
            statusBar()->showMessage(selection);
        else if (place.isEmpty())
            statusBar()->clearMessage();
        else
            statusBar()->showMessage(tr("Cursor: %1").arg(place));
    });
    // A line with a place shows it in the token; a note about removed paste noise has none in what is shown.
    auto showProblem = [this](QListWidgetItem* item) {
        if (item->data(OffsetRole).isValid())
            m_editor->showInputOffset(item->data(OffsetRole).toLongLong(), item->data(LengthRole).toLongLong());
    };
    connect(m_problems, &QListWidget::itemActivated, this, showProblem);
    connect(m_problems, &QListWidget::itemClicked, this, showProblem);
    connect(m_findingsList, &FindingsList::placeActivated, this, [this](qsizetype begin, qsizetype end) {
        const Token& token = m_document->token();
        const qsizetype inputBegin = token.inputOffset(begin);
        m_editor->showInputOffset(inputBegin, end > begin ? token.inputOffset(end - 1) + 1 - inputBegin : 1);
    });
    connect(m_emptyPage, &EmptyStatePage::pasteRequested, this, &MainWindow::pasteToken);
    connect(m_emptyPage, &EmptyStatePage::openRequested, this, &MainWindow::openFileDialog);
    connect(m_emptyPage, &EmptyStatePage::sampleRequested, this, [this] { loadSample(QStringLiteral("HS256")); });
    connect(m_signingEditor, &SigningEditor::inspectRequested, this, &MainWindow::inspectSigned);

    if (m_options == Options::Default) {
        const QSettings settings;
        restoreGeometry(settings.value(QLatin1String(kGeometryKey)).toByteArray());
    }
    if (!QSettings().contains(QLatin1String(kGeometryKey)) || m_options == Options::NoSettings)
        WindowPlacement::fitOnScreen(this, QSize(1280, 800));
    else
        WindowPlacement::keepOnScreen(this);
    onTokenChanged();
    onFindingsChanged();
    m_editor->setFocus();
}

MainWindow::~MainWindow()
{
    // The key manager is a window of its own but uses this window's store: it goes first.
    delete m_keyManager;
}

void MainWindow::buildMenus()
{
    menuBar()->setObjectName(QStringLiteral("menuBar"));
    auto addAction
        = [this](QMenu* menu, const QString& name, const QString& text, const QKeySequence& shortcut, auto slot) {
              QAction* action = menu->addAction(text);
              action->setObjectName(name);
              if (!shortcut.isEmpty())
                  action->setShortcut(shortcut);
              connect(action, &QAction::triggered, this, slot);
              return action;
          };

    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("menuFile"));
    addAction(file, QStringLiteral("actionOpen"), tr("&Open…"), QKeySequence::Open, [this] { openFileDialog(); });
    m_recentMenus->addTo(file);
    QMenu* samples = file->addMenu(tr("&Sample tokens"));
    samples->setObjectName(QStringLiteral("menuSamples"));
    for (const QString& name : SampleTokens::names()) {
        QString label = name;
        if (name == QLatin1String("none"))
            label = tr("Unsecured (alg none)");
        else if (name == QLatin1String("expired"))
            label = tr("Expired (HS256)");
        else if (name == QLatin1String("malformed"))
            label = tr("Malformed, with paste noise");
        QAction* action = samples->addAction(label);
        action->setObjectName(QStringLiteral("actionSample_") + name);
        connect(action, &QAction::triggered, this, [this, name] { loadSample(name); });
    }
    file->addSeparator();
    addAction(file, QStringLiteral("actionQuit"), tr("&Quit"), QKeySequence::Quit, [this] { close(); });

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName(QStringLiteral("menuEdit"));
    addAction(edit, QStringLiteral("actionPasteToken"), tr("&Paste token"), QKeySequence(tr("Ctrl+Shift+V")),
              [this] { pasteToken(); });
    addAction(edit, QStringLiteral("actionCopyToken"), tr("&Copy token"), QKeySequence(tr("Ctrl+Shift+C")),
              [this] { copyText(m_document->text().trimmed(), tr("token")); });
    addAction(edit, QStringLiteral("actionCopyHeader"), tr("Copy &header JSON"), {},
              [this] { copyText(m_headerView->text(), tr("header")); });
    addAction(edit, QStringLiteral("actionCopyPayload"), tr("Copy pa&yload JSON"), {},
              [this] { copyText(m_payloadView->text(), tr("payload")); });
    addAction(edit, QStringLiteral("actionCopySignature"), tr("Copy &signature (base64url)"), {},
              [this] { copyText(m_signatureView->base64Text(), tr("signature")); });
    edit->addSeparator();
    addAction(edit, QStringLiteral("actionClear"), tr("C&lear token"), QKeySequence(tr("Ctrl+Shift+Del")), [this] {
        loadToken(QString());
        statusBar()->showMessage(tr("Cleared."), 3000);
    });
    edit->addSeparator();
    addAction(edit, QStringLiteral("actionSettings"), tr("Se&ttings…"), QKeySequence(tr("Ctrl+,")),
              [this] { showSettings(); });

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("menuView"));
    const QStringList tabNames = {tr("Header"),   tr("Payload"),   tr("Signature"),       tr("Claims"),
                                  tr("Findings"), tr("Base64url"), tr("How it's signed"), tr("Lessons")};
    for (int i = 0; i < tabNames.size(); ++i) {
        addAction(view, QStringLiteral("actionShowTab%1").arg(i), tabNames[i], QKeySequence(tr("Alt+%1").arg(i + 1)),
                  [this, i] { showDetailTab(DetailTab(i)); });
    }
    view->addSeparator();
    addAction(view, QStringLiteral("actionShowVerify"), tr("&Verify panel"), QKeySequence(tr("Ctrl+Shift+R")),
              [this] { showVerify(); });
    addAction(view, QStringLiteral("actionShowSign"), tr("&Signing editor"), QKeySequence(tr("Ctrl+Shift+S")),
              [this] { showSigning(); });
    view->addSeparator();
    QMenu* theme = view->addMenu(tr("&Theme"));
    theme->setObjectName(QStringLiteral("menuTheme"));
    auto* themes = new QActionGroup(this);
    const std::pair<Palette::Theme, QString> themeNames[] = {{Palette::Theme::System, tr("&System")},
                                                             {Palette::Theme::Light, tr("&Light")},
                                                             {Palette::Theme::Dark, tr("&Dark")}};
    for (const auto& [value, label] : themeNames) {
        QAction* action = theme->addAction(label);
        action->setObjectName(QStringLiteral("actionTheme%1").arg(int(value)));
        action->setCheckable(true);
        action->setChecked(Palette::current() == value);
        themes->addAction(action);
        connect(action, &QAction::triggered, this, [this, value] {
            // The same preference as in Settings, and remembered with it.
            AppSettings changed = m_settings;
            changed.theme = Palette::themeName(value);
            setSettings(changed);
        });
    }

    QMenu* keys = menuBar()->addMenu(tr("&Keys"));
    keys->setObjectName(QStringLiteral("menuKeys"));
    addAction(keys, QStringLiteral("actionKeyManager"), tr("&Key manager…"), QKeySequence(tr("Ctrl+K")),
              [this] { showKeyManager(); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("menuHelp"));
    addAction(help, QStringLiteral("actionGuidedTour"), tr("&Guided tour"), QKeySequence::HelpContents,
              [this] { showGuidedTour(); });
    help->addSeparator();
    addAction(help, QStringLiteral("actionAbout"), tr("&About JWT Inspector"), {}, [this] {
        AboutDialog about(this);
        about.exec();
    });
    addAction(help, QStringLiteral("actionAboutQt"), tr("About &Qt"), {}, [] { QApplication::aboutQt(); });
}

void MainWindow::showGuidedTour()
{
    // The tour works on a sample of its own: a token the user is working on is not replaced without asking.
    const bool tourSampleShown = m_guidedTour && m_guidedTour->holdsSample();
    if (m_options == Options::Default && !tourSampleShown && !m_document->text().trimmed().isEmpty()
        && QMessageBox::question(this, tr("Guided tour"),
                                 tr("The tour opens a sample token of its own in place of the token you have "
                                    "open; yours comes back when you leave the tour. Continue?"))
            != QMessageBox::Yes)
        return;
    if (!m_guidedTour)
        m_guidedTour = new GuidedTour(
            this, m_options == Options::Default ? GuidedTour::Persistence::Settings : GuidedTour::Persistence::None);
    m_guidedTour->open();
}

void MainWindow::openTokenOrFile(const QString& tokenOrFile)
{
    // A path names an existing file; a token never does (and is far longer than any path).
    if (tokenOrFile.size() < 4096 && QFileInfo(tokenOrFile).isFile())
        openFile(tokenOrFile);
    else
        loadToken(tokenOrFile);
}

void MainWindow::loadToken(const QString& text)
{
    m_editor->setToken(text);
}

bool MainWindow::openFile(const QString& fileName)
{
    QByteArray bytes;
    QString error;
    if (!FileDialogs::readFile(fileName, kMaxFileBytes, bytes, error)) {
        statusBar()->showMessage(error);
        QApplication::beep();
        return false;
    }
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(bytes);
    if (decoder.hasError()) {
        statusBar()->showMessage(
            tr("%1 is not text: a token file holds the token as text.").arg(QFileInfo(fileName).fileName()));
        return false;
    }
    loadToken(text);
    m_recentMenus->fileOpened(fileName);
    statusBar()->showMessage(tr("Opened %1.").arg(QFileInfo(fileName).fileName()), 5000);
    return true;
}

void MainWindow::openFileDialog()
{
    const QString fileName = FileDialogs::getOpenFileName(this, tr("Open a token"),
                                                          tr("Tokens (*.jwt *.jws *.txt *.token);;All files (*)"));
    if (!fileName.isEmpty())
        openFile(fileName);
}

void MainWindow::pasteToken()
{
    const QString text = QGuiApplication::clipboard()->text();
    if (text.isEmpty()) {
        statusBar()->showMessage(tr("The clipboard holds no text."), 5000);
        return;
    }
    loadToken(text);
    m_editor->setFocus();
}

void MainWindow::copyText(const QString& text, const QString& what)
{
    if (text.isEmpty()) {
        statusBar()->showMessage(tr("No %1 to copy.").arg(what), 3000);
        return;
    }
    QGuiApplication::clipboard()->setText(text);
    statusBar()->showMessage(tr("Copied the %1.").arg(what), 3000);
}

void MainWindow::loadSample(const QString& name)
{
    if (m_sample.isRunning())
        return;
    statusBar()->showMessage(tr("Making sample %1…").arg(name));
    const qint64 now = m_document->now();
    m_sample.start([name, now](const std::atomic_bool&) { return SampleTokens::make(name, now); },
                   [this](const SampleToken& sample) { showSample(sample); });
}

void MainWindow::showSample(const SampleToken& sample)
{
    if (!sample.error.isEmpty()) {
        statusBar()->showMessage(tr("Sample %1 could not be made: %2").arg(sample.name, sample.error));
        emit sampleLoaded(sample.name);
        return;
    }
    m_recentMenus->ignoreToken(sample.token);
    loadToken(sample.token);
    if (sample.usesSecret) {
        m_verifyPanel->keyInput()->clear();
        m_verifyPanel->setKeyKind(VerifyPanel::KeyKind::Secret);
        m_verifyPanel->secretInput()->setSecret(sample.keyText, SecretEncoding::Text);
    } else if (!sample.keyText.isEmpty()) {
        m_verifyPanel->secretInput()->clear();
        m_verifyPanel->setKeyKind(VerifyPanel::KeyKind::PublicKey);
        m_verifyPanel->keyInput()->setKeyText(sample.keyText);
    }
    statusBar()->showMessage(sample.keyText.isEmpty() ? tr("Sample %1 loaded.").arg(sample.name)
                                                      : tr("Sample %1 loaded, with its key.").arg(sample.name),
                             5000);
    emit sampleLoaded(sample.name);
}

bool MainWindow::isLoadingSample() const
{
    return m_sample.isRunning();
}

void MainWindow::showDecrypt()
{
    m_sideTabs->setCurrentIndex(m_sideTabs->indexOf(m_decryptPanel->parentWidget()->parentWidget()));
    m_decryptPanel->focusKeyBox();
}

void MainWindow::onTokenKindChanged()
{
    const bool jwe = m_document->token().kind == TokenKind::Jwe;
    m_walkthroughStack->setCurrentWidget(jwe ? static_cast<QWidget*>(m_decryptionWalkthroughView) : m_walkthroughView);
    const QString title = jwe ? tr("How it's decrypted") : tr("How it's signed");
    m_detailTabs->setTabText(int(DetailTab::Walkthrough), title);
    if (auto* action = findChild<QAction*>(QStringLiteral("actionShowTab%1").arg(int(DetailTab::Walkthrough))))
        action->setText(title);
    // The panel that matters for the token: a JWE opens on Decrypt, a JWS back on Verify (unless the user signs).
    const int decryptTab = m_sideTabs->indexOf(m_decryptPanel->parentWidget()->parentWidget());
    if (jwe && !m_wasJwe && m_sideTabs->currentIndex() == 0)
        m_sideTabs->setCurrentIndex(decryptTab);
    else if (!jwe && m_wasJwe && m_sideTabs->currentIndex() == decryptTab)
        m_sideTabs->setCurrentIndex(0);
    m_wasJwe = jwe;
    // The banner stays while the inner token is the one open; another token leaves the JWE behind.
    if (!m_innerToken.isEmpty() && m_document->text().trimmed() != m_innerToken) {
        m_innerToken.clear();
        m_outerToken.clear();
    }
    m_innerBanner->setVisible(!m_innerToken.isEmpty());
}

void MainWindow::openInnerToken(const QString& token)
{
    const QString outer = m_document->text();
    // Decrypted content is not kept among the recent tokens: it was secret until the user gave the key.
    m_recentMenus->ignoreToken(token);
    m_innerToken = token.trimmed();
    loadToken(token);
    m_outerToken = outer;
    m_innerBanner->setVisible(true);
    showVerify();
}

void MainWindow::showDetailTab(DetailTab tab)
{
    m_detailTabs->setCurrentIndex(int(tab));
    m_detailTabs->currentWidget()->setFocus();
}

MainWindow::DetailTab MainWindow::currentDetailTab() const
{
    return DetailTab(std::max(0, m_detailTabs->currentIndex()));
}

void MainWindow::showSigning()
{
    m_sideTabs->setCurrentIndex(1);
}

void MainWindow::showVerify()
{
    m_sideTabs->setCurrentIndex(0);
    m_verifyPanel->focusKeyBox();
}

void MainWindow::inspectSigned(const QString& token)
{
    loadToken(token);
    if (m_signingEditor->usesSecret()) {
        // The same secret verifies: it moves between two fields of this window, never through the clipboard.
        if (!m_signingEditor->secretInput()->isEmpty()) {
            m_verifyPanel->keyInput()->clear();
            m_verifyPanel->setKeyKind(VerifyPanel::KeyKind::Secret);
            m_signingEditor->secretInput()->copyTo(*m_verifyPanel->secretInput());
        }
    } else if (!m_signingEditor->publicKeyPem().isEmpty()) {
        m_verifyPanel->secretInput()->clear();
        m_verifyPanel->setKeyKind(VerifyPanel::KeyKind::PublicKey);
        m_verifyPanel->keyInput()->setKeyText(m_signingEditor->publicKeyPem());
    }
    showVerify();
}

void MainWindow::onTokenChanged()
{
    const Token& token = m_document->token();
    const bool empty = token.kind == TokenKind::Empty;
    m_detailStack->setCurrentIndex(empty ? 0 : 1);
    // The legend explains colours that only a token has.
    m_legend->setVisible(!empty && !m_document->isNotAToken());

    if (empty) {
        m_headerView->clear();
        m_payloadView->clear();
    } else if (m_document->isNotAToken()) {
        // Bytes decoded from a sentence or a PEM are no header: every pane says what the verdict says.
        m_headerView->showMessage(tr("This is not a JWT, so there is no header to show."));
        m_payloadView->showMessage(tr("This is not a JWT, so there is no payload to show."));
    } else {
        const Segment* headerSegment = !token.signatures.empty() ? &token.signatures.front().protectedHeader
            : !token.segments.empty()                            ? &token.segments.front()
                                                                 : nullptr;
        if (headerSegment && headerSegment->json)
            m_headerView->showDocument(*headerSegment->json, headerSegment->decoded.bytes, m_document->prettyHeader());
        else if (headerSegment)
            m_headerView->showBytes(headerSegment->decoded.bytes, tr("The header is not JSON."));
        else
            m_headerView->showMessage(tr("No header could be read."));

        const Segment& payload = token.payload;
        if (token.kind == TokenKind::Jwe)
            m_payloadView->showMessage(tr("Encrypted (JWE): the payload is ciphertext; it can be read only with the "
                                          "decryption key (RFC 7516)."));
        else if (token.payloadDetached)
            m_payloadView->showMessage(tr("Detached payload (RFC 7515 Appendix F): the token carries no payload."));
        else if (payload.json)
            m_payloadView->showDocument(*payload.json, payload.decoded.bytes, m_document->prettyPayload());
        else
            m_payloadView->showBytes(payload.decoded.bytes,
                                     token.unencodedPayload ? tr("Unencoded payload (RFC 7797).")
                                                            : tr("The payload is not JSON: shown as received."));
    }
    m_signatureView->showToken(token, m_document->isNotAToken());
    updateProblems();
    updateStatus();
}

void MainWindow::onFindingsChanged()
{
    const auto& findings = m_document->findings();
    int critical = 0;
    for (const Finding& finding : findings)
        critical += finding.severity == Severity::Critical;
    QString title = findings.empty() ? tr("Findings") : tr("Findings (%1)").arg(findings.size());
    if (critical > 0)
        title = tr("Findings (%1, %2 critical)").arg(findings.size()).arg(critical);
    m_detailTabs->setTabText(int(DetailTab::Findings), title);
    updateStatus();
}

void MainWindow::updateProblems()
{
    const Token& token = m_document->token();
    m_problems->clear();
    if (m_document->isNotAToken()) {
        // One line, the verdict's headline: a text that is no token has no segments to fault one by one.
        auto* item = new QListWidgetItem(m_document->verdict().headline, m_problems);
        item->setForeground(Palette::text(Palette::Role::Error));
        m_problems->setVisible(true);
        fitProblemsHeight();
        return;
    }
    for (const TokenError& error : token.errors) {
        const qsizetype begin = token.inputOffset(error.range.begin);
        const qsizetype end = error.range.end > error.range.begin ? token.inputOffset(error.range.end - 1) + 1 : begin;
        QString where;
        if (error.segment >= 0 && size_t(error.segment) < token.segments.size())
            where = tr("%1, character %2")
                        .arg(segmentRoleName(token.segments[size_t(error.segment)].role))
                        .arg(begin + 1);
        else
            where = tr("Character %1").arg(begin + 1);
        // The place is said once, counted from 1: a whole-token error's reason repeats it counted from 0.
        static const QRegularExpression leadingPlace(QStringLiteral("^character \\d+: "));
        const QString reason = QString(error.reason).remove(leadingPlace);
        auto* item = new QListWidgetItem(tr("Error — %1: %2").arg(where, reason), m_problems);
        item->setData(OffsetRole, qlonglong(begin));
        item->setData(LengthRole, qlonglong(std::max<qsizetype>(1, end - begin)));
        item->setForeground(Palette::text(Palette::Role::Error));
        item->setToolTip(errorCodeName(error.code));
    }
    // Removed: the editor shows the token inspected, the text as given is one Undo away (it has no place here).
    const std::vector<NoiseNote>& removed = m_document->removedNoise();
    for (size_t i = 0; i < removed.size(); ++i) {
        const QString note = i + 1 < removed.size()
            ? tr("Note — paste noise: %1.").arg(removed[i].message)
            : tr("Note — paste noise: %1. The token box shows the token inspected; Undo (Ctrl+Z) gives back the "
                 "text as given.")
                  .arg(removed[i].message);
        new QListWidgetItem(note, m_problems);
    }
    // Kept (the user undid the removal): shown as given, decoded without it, judged as given by the verify panel.
    for (const NoiseNote& note : token.noise) {
        auto* item = new QListWidgetItem(
            tr("Note — paste noise kept as given: for decoding, %1; the verify panel judges the text as shown.")
                .arg(note.message),
            m_problems);
        item->setData(OffsetRole, qlonglong(note.range.begin));
        item->setData(LengthRole, qlonglong(std::max<qsizetype>(1, note.range.size())));
    }
    m_problems->setVisible(m_problems->count() > 0);
    fitProblemsHeight();
}

void MainWindow::fitProblemsHeight()
{
    // Each line's height wrapped at the list's width, as the list's delegate draws it.
    const int width
        = std::max(1,
                   m_problems->viewport()->width()
                       - 2 * m_problems->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_problems));
    int height = 2 * m_problems->frameWidth();
    for (int row = 0; row < m_problems->count(); ++row)
        height
            += m_problems->fontMetrics()
                   .boundingRect(QRect(0, 0, width, QWIDGETSIZE_MAX), Qt::TextWordWrap, m_problems->item(row)->text())
                   .height()
            + 4;
    const int most = m_problems->fontMetrics().lineSpacing() * 5 + 12;
    m_problems->setFixedHeight(std::min(height, most));
}

void MainWindow::updateStatus()
{
    const Token& token = m_document->token();
    if (token.kind == TokenKind::Empty) {
        m_statusSummary->setText(tr("No token"));
        return;
    }
    QString kind;
    switch (token.kind) {
    case TokenKind::Jws:
        kind = tr("signed (JWS)");
        break;
    case TokenKind::Unsecured:
        kind = tr("unsecured (alg none)");
        break;
    case TokenKind::Jwe:
        kind = tr("encrypted (JWE)");
        break;
    case TokenKind::JwsJsonFlattened:
        kind = tr("JWS JSON, flattened");
        break;
    case TokenKind::JwsJsonGeneral:
        kind = tr("JWS JSON, general");
        break;
    case TokenKind::Malformed:
        kind = tr("malformed");
        break;
    case TokenKind::Empty:
        break;
    }
    QStringList parts;
    // The verdict's outcome first, in the words of the panel that judges it (decrypt for a JWE, verify otherwise):
    // the status bar judges nothing itself. A JWE is never "not verified": it is not signed.
    if (token.kind == TokenKind::Jwe) {
        switch (m_decryptPanel->verdict().outcome) {
        case DecryptionOutcome::Decrypted:
            parts << tr("decrypted");
            break;
        case DecryptionOutcome::Failed:
            parts << tr("not decrypted: failed");
            break;
        case DecryptionOutcome::NotDecrypted:
            parts << tr("not decrypted");
            break;
        case DecryptionOutcome::Malformed:
            parts << tr("malformed");
            break;
        }
    } else {
        switch (m_document->verdict().outcome) {
        case VerdictOutcome::Valid:
            parts << tr("valid");
            break;
        case VerdictOutcome::Invalid:
            parts << tr("invalid");
            break;
        case VerdictOutcome::NotVerified:
            parts << tr("not verified");
            break;
        case VerdictOutcome::Unsecured:
            parts << tr("unsecured");
            break;
        case VerdictOutcome::Malformed:
            parts << tr("malformed");
            break;
        }
    }
    if (!token.alg().isEmpty())
        parts << token.alg();
    if (m_document->isNotAToken())
        parts = QStringList{tr("not a JWT")};
    else if (token.kind != TokenKind::Malformed || m_document->verdict().outcome != VerdictOutcome::Malformed)
        parts << kind; // "malformed · malformed" says it once
    // As the token box shows it (paste noise included when kept): the count every place in the problems list uses.
    parts << tr("%1 characters").arg(m_document->text().size());
    if (!token.errors.empty() && !m_document->isNotAToken())
        parts << tr("errors: %1").arg(token.errors.size());
    parts << tr("findings: %1").arg(m_document->findings().size());
    m_statusSummary->setText(parts.join(QStringLiteral(" · ")));
}

QString MainWindow::describeSelection() const
{
    const QTextCursor cursor = m_editor->textCursor();
    if (!cursor.hasSelection())
        return {};
    const qsizetype inputBegin = cursor.selectionStart();
    const qsizetype inputEnd = cursor.selectionEnd();
    const Token& token = m_document->token();
    // The first character of the parsed text at or after an input offset (inputOffset only grows: paste noise is
    // removed, never added).
    auto textOffsetAt = [&token](qsizetype input) {
        qsizetype low = 0;
        qsizetype high = token.text.size();
        while (low < high) {
            const qsizetype middle = low + (high - low) / 2;
            if (token.inputOffset(middle) < input)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    };
    const qsizetype begin = textOffsetAt(inputBegin);
    const qsizetype end = textOffsetAt(inputEnd);
    QStringList parts;
    for (const Segment& segment : token.segments) {
        const qsizetype from = std::max(begin, segment.range.begin);
        const qsizetype to = std::min(end, segment.range.end);
        if (from >= to)
            continue;
        const OffsetRange chars{from - segment.range.begin, to - segment.range.begin};
        const OffsetRange bytes = Base64Url::byteRangeForEncoded(chars, segment.decoded.bytes.size());
        QString part = chars.size() == 1
            ? tr("%1 character %2").arg(segmentRoleName(segment.role)).arg(chars.end)
            : tr("%1 characters %2–%3").arg(segmentRoleName(segment.role)).arg(chars.begin + 1).arg(chars.end);
        if (bytes.size() == 1)
            part += tr(" → byte %1 of the decoded %2").arg(bytes.end).arg(segmentRoleName(segment.role));
        else if (bytes.end > bytes.begin)
            part += tr(" → bytes %1–%2 of the decoded %3")
                        .arg(bytes.begin + 1)
                        .arg(bytes.end)
                        .arg(segmentRoleName(segment.role));
        parts << part;
    }
    const QString range = inputEnd - inputBegin == 1
        ? tr("Selected character %1 of %2").arg(inputEnd).arg(m_document->text().size())
        : tr("Selected characters %1–%2 of %3 (%4)")
              .arg(inputBegin + 1)
              .arg(inputEnd)
              .arg(m_document->text().size())
              .arg(inputEnd - inputBegin);
    return parts.isEmpty() ? range : tr("%1: %2").arg(range, parts.join(QStringLiteral("; ")));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // Geometry only: never the token, never a key (they could be secrets).
    if (m_options == Options::Default) {
        QSettings settings;
        settings.setValue(QLatin1String(kGeometryKey), saveGeometry());
    }
    QMainWindow::closeEvent(event);
}

KeyStore* MainWindow::keyStore()
{
    if (!m_keyStore)
        m_keyStore = new KeyStore(this);
    return m_keyStore;
}

void MainWindow::showKeyManager()
{
    if (!m_keyManager) {
        // A window of its own, not a child: the user keeps both open side by side.
        m_keyManager = new KeyManagerWindow(keyStore());
        m_keyManager->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_keyManager->show();
    m_keyManager->raise();
    m_keyManager->activateWindow();
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    // The first keychain call can block on a D-Bus probe, so stored keys are offered to the verify panel only once
    // the window is on screen; tests and screenshots (NoSettings) never touch the user's keychain.
    if (m_keystoreBridge || m_options == Options::NoSettings)
        return;
    m_keystoreBridge = new KeystoreVerifyBridge(keyStore(), m_verifyPanel, this);
    m_signingEditor->setKeyStore(keyStore());
    connect(m_keystoreBridge, &KeystoreVerifyBridge::keysOffered, this, [this](int count) {
        if (!m_keystoreBridge->lastError().isEmpty())
            statusBar()->showMessage(tr("Stored keys unavailable: %1").arg(m_keystoreBridge->lastError()), 10000);
        else if (count > 0)
            statusBar()->showMessage(tr("%n stored key(s) offered to the verify panel.", nullptr, count), 5000);
    });
    QTimer::singleShot(0, m_keystoreBridge, &KeystoreVerifyBridge::start);
    // Encryption keys go to the decrypt panel, read only while a JWE is open.
    m_keystoreDecryptBridge = new KeystoreDecryptBridge(keyStore(), m_document, m_decryptPanel, this);
    connect(m_keystoreDecryptBridge, &KeystoreDecryptBridge::keysOffered, this, [this](int count) {
        if (!m_keystoreDecryptBridge->lastError().isEmpty())
            statusBar()->showMessage(
                tr("Stored encryption keys unavailable: %1").arg(m_keystoreDecryptBridge->lastError()), 10000);
        else if (count > 0)
            statusBar()->showMessage(tr("%n stored encryption key(s) offered to the decrypt panel.", nullptr, count),
                                     5000);
    });
    QTimer::singleShot(0, m_keystoreDecryptBridge, &KeystoreDecryptBridge::start);
}

void MainWindow::showLegend()
{
    // The legend names each underline style, so segments are told apart without colour.
    m_legend->setText(tr("<span style=\"color:%1\"><u>header</u></span> — solid underline &nbsp;·&nbsp; "
                         "<span style=\"color:%2\">payload</span> — dotted underline &nbsp;·&nbsp; "
                         "<span style=\"color:%3\">signature</span> — dashed underline &nbsp;·&nbsp; "
                         "<b>errors</b> — wavy underline")
                          .arg(Palette::text(Palette::Role::Header).name(),
                               Palette::text(Palette::Role::Payload).name(),
                               Palette::text(Palette::Role::Signature).name()));
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_verifyPanel && (event->type() == QEvent::LayoutRequest || event->type() == QEvent::Show)) {
        const int needed
            = m_verifyPanel->minimumSizeHint().width() + m_verifyScroll->verticalScrollBar()->sizeHint().width();
        if (needed != m_verifyScroll->minimumWidth())
            m_verifyScroll->setMinimumWidth(needed);
    }
    if (watched == m_problems && event->type() == QEvent::Resize
        && static_cast<QResizeEvent*>(event)->size().width() != static_cast<QResizeEvent*>(event)->oldSize().width())
        fitProblemsHeight(); // wrapped lines change with the width
    if (watched == m_legend && event->type() == QEvent::Resize) {
        const int needed = m_legend->heightForWidth(m_legend->width());
        if (needed > 0 && needed != m_legend->minimumHeight())
            m_legend->setMinimumHeight(needed);
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::changeEvent(QEvent* event)
{
    QMainWindow::changeEvent(event);
    // Colours are picked per palette: what this window drew itself is drawn again in the new one.
    if (event->type() == QEvent::PaletteChange) {
        showLegend();
        onTokenChanged();
        onFindingsChanged();
    }
}

void MainWindow::applyTheme()
{
    const Palette::Theme theme = Palette::themeFromName(m_settings.theme);
    if (theme != Palette::current())
        Palette::apply(*qApp, theme);
    for (QAction* action : menuBar()->findChildren<QAction*>()) {
        if (action->objectName().startsWith(QLatin1String("actionTheme")))
            action->setChecked(action->objectName() == QStringLiteral("actionTheme%1").arg(int(theme)));
    }
}

void MainWindow::applySettings()
{
    m_verifyPanel->setLeeway(m_settings.leewaySeconds);
    m_claimsTable->setLiveTimes(m_settings.liveRelativeTimes);
    m_signingEditor->setDefaultRsaBits(m_settings.rsaBits);
    m_recentMenus->setRememberTokens(m_settings.rememberRecentTokens);
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(m_settings, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (dialog.clearRecentFilesRequested())
        m_recentMenus->clearRecentFiles();
    setSettings(dialog.settings());
    statusBar()->showMessage(tr("Settings saved."), 3000);
}

void MainWindow::setSettings(const AppSettings& settings)
{
    m_settings = settings;
    if (m_options != Options::NoSettings)
        m_settings.save();
    applySettings();
    // Only a change the user makes switches the theme: a window that opens keeps the one the application has.
    applyTheme();
}

} // namespace jwti
