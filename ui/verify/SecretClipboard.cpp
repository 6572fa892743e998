#include "verify/SecretClipboard.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QGuiApplication>
#include <QMimeData>

namespace jwti {

namespace {

QByteArray digestOf(const QString& text)
{
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
}

} // namespace

SecretClipboard& SecretClipboard::instance()
{
    static SecretClipboard* clipboard = new SecretClipboard;
    return *clipboard;
}

SecretClipboard::SecretClipboard()
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SecretClipboard::clearNow);
    if (auto* app = QCoreApplication::instance())
        connect(app, &QCoreApplication::aboutToQuit, this, &SecretClipboard::clearNow);
}

void SecretClipboard::copy(const QString& secret, int clearAfterSeconds)
{
    auto* data = new QMimeData;
    data->setText(secret);
    data->setData(QStringLiteral("x-kde-passwordManagerHint"), QByteArrayLiteral("secret"));
    QGuiApplication::clipboard()->setMimeData(data);
    m_digest = digestOf(secret);
    if (clearAfterSeconds > 0)
        m_timer.start(clearAfterSeconds * 1000);
    else
        m_timer.stop();
}

int SecretClipboard::remainingSeconds() const
{
    return m_timer.isActive() ? (m_timer.remainingTime() + 999) / 1000 : 0;
}

bool SecretClipboard::clearNow()
{
    m_timer.stop();
    if (m_digest.isEmpty())
        return false;
    QClipboard* clipboard = QGuiApplication::clipboard();
    const bool ours = digestOf(clipboard->text()) == m_digest;
    m_digest.clear();
    if (!ours)
        return false;
    clipboard->clear();
    emit cleared();
    return true;
}

} // namespace jwti
