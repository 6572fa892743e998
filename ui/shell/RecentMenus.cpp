#include "shell/RecentMenus.h"

#include "core/jose/Token.h"
#include "core/model/TokenDocument.h"
#include "shell/AppSettings.h"
#include "shell/RecentTokens.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>

namespace jwti {

namespace {

// "eyJhbGciOi…Q5c (RS256, 412 characters)": enough to tell tokens apart, too little to use one from a screenshot.
QString tokenLabel(const QString& text)
{
    const Token token = decodeUnverified(text);
    const QString alg = token.alg();
    const QString start = text.left(12);
    const QString end = text.right(4);
    return QObject::tr("%1\u2026%2 (%3, %4 characters)")
        .arg(start, end, alg.isEmpty() ? QObject::tr("no alg") : alg)
        .arg(text.size());
}

} // namespace

RecentMenus::RecentMenus(TokenDocument* document, bool persistent, QObject* parent)
    : QObject(parent)
    , m_document(document)
    , m_tokens(new RecentTokens(&m_keychain, this))
    , m_persistent(persistent)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(kSettleMs);
    connect(&m_settle, &QTimer::timeout, this, &RecentMenus::onTokenSettled);
    connect(m_document, &TokenDocument::tokenChanged, this, [this] {
        if (m_rememberTokens)
            m_settle.start();
    });
    connect(m_tokens, &RecentTokens::changed, this, &RecentMenus::rebuildTokenMenu);
}

void RecentMenus::addTo(QMenu* fileMenu)
{
    m_fileMenu = fileMenu->addMenu(tr("Open &Recent"));
    m_fileMenu->setObjectName(QStringLiteral("menuRecentFiles"));
    m_tokenMenu = fileMenu->addMenu(tr("Recent &Tokens"));
    m_tokenMenu->setObjectName(QStringLiteral("menuRecentTokens"));
    rebuildFileMenu();
    rebuildTokenMenu();
}

void RecentMenus::setRememberTokens(bool remember)
{
    if (remember == m_rememberTokens)
        return;
    m_rememberTokens = remember;
    if (remember) {
        if (m_persistent && !m_tokens->isLoaded())
            m_tokens->load();
    } else {
        m_settle.stop();
        // Turning it off forgets what was kept: the keychain entry goes too.
        if (m_persistent)
            m_tokens->forget();
    }
    rebuildTokenMenu();
}

void RecentMenus::fileOpened(const QString& path)
{
    if (m_persistent)
        AppSettings::addRecentFile(path);
    rebuildFileMenu();
}

void RecentMenus::clearRecentFiles()
{
    if (m_persistent)
        AppSettings::clearRecentFiles();
    rebuildFileMenu();
}

void RecentMenus::rebuildFileMenu()
{
    if (!m_fileMenu)
        return;
    m_fileMenu->clear();
    const QStringList files = m_persistent ? AppSettings::recentFiles() : QStringList();
    int number = 1;
    for (const QString& path : files) {
        const QString label = QStringLiteral("&%1 %2").arg(number++ % 10).arg(QDir::toNativeSeparators(path));
        QAction* action = m_fileMenu->addAction(label);
        action->setEnabled(QFileInfo::exists(path));
        connect(action, &QAction::triggered, this, [this, path] { emit openFileRequested(path); });
    }
    if (files.isEmpty())
        m_fileMenu->addAction(tr("No recent files"))->setEnabled(false);
    else {
        m_fileMenu->addSeparator();
        connect(m_fileMenu->addAction(tr("&Clear list")), &QAction::triggered, this, &RecentMenus::clearRecentFiles);
    }
}

void RecentMenus::rebuildTokenMenu()
{
    if (!m_tokenMenu)
        return;
    m_tokenMenu->clear();
    if (!m_rememberTokens) {
        m_tokenMenu->addAction(tr("Off (Settings \u25b8 Privacy)"))->setEnabled(false);
        return;
    }
    if (!m_tokens->lastError().isEmpty())
        m_tokenMenu->addAction(tr("Keychain: %1").arg(m_tokens->lastError()))->setEnabled(false);
    int number = 1;
    for (const QString& token : m_tokens->tokens()) {
        QAction* action = m_tokenMenu->addAction(QStringLiteral("&%1 %2").arg(number++ % 10).arg(tokenLabel(token)));
        connect(action, &QAction::triggered, this, [this, token] { emit tokenRequested(token); });
    }
    if (m_tokens->tokens().isEmpty())
        m_tokenMenu->addAction(tr("No recent tokens"))->setEnabled(false);
    else {
        m_tokenMenu->addSeparator();
        connect(m_tokenMenu->addAction(tr("&Forget all")), &QAction::triggered, m_tokens, &RecentTokens::forget);
    }
}

void RecentMenus::onTokenSettled()
{
    bool kept = false;
    if (m_rememberTokens && m_persistent && !m_document->isDecoding()) {
        const Token& token = m_document->token();
        const bool clean = token.errors.empty() && token.kind != TokenKind::Empty && token.kind != TokenKind::Malformed;
        const QString text = m_document->text().trimmed();
        if (clean && !text.isEmpty() && text != m_ignored) {
            m_tokens->add(text);
            kept = true;
        }
    }
    emit tokenSettled(kept);
}

} // namespace jwti
