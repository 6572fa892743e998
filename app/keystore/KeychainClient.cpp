#include "keystore/KeychainClient.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QTimer>
#include <memory>
#include <qt6keychain/keychain.h>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "KeychainClient", for the messages here.
struct KeychainClientText
{
    Q_DECLARE_TR_FUNCTIONS(KeychainClient)
};

QString KeychainClient::libraryVersion()
{
    return QStringLiteral(JWTI_QTKEYCHAIN_VERSION);
}

namespace {

Error makeError(KeychainProblem problem, const QString& detail = {})
{
    QString message = keychainProblemMessage(problem);
    // A locked keychain or a missing service is said in our words alone; libsecret's text adds nothing there.
    const bool detailHelps = problem == KeychainProblem::Other || problem == KeychainProblem::Denied
        || problem == KeychainProblem::TimedOut;
    if (detailHelps && !detail.isEmpty())
        message += QStringLiteral(": ") + detail;
    return Error{problem == KeychainProblem::NotFound ? ErrorCode::KeyNotFound : ErrorCode::Keychain, message};
}

// QtKeychain's codes are coarse on Linux: a missing Secret Service and a missing session bus both arrive as
// OtherError with libsecret's or D-Bus's own text, and a locked collection as AccessDenied.
KeychainProblem classify(QKeychain::Error error, const QString& text)
{
    switch (error) {
    case QKeychain::NoError:
    case QKeychain::OtherError:
    case QKeychain::NotImplemented:
    case QKeychain::CouldNotDeleteEntry:
        break;
    case QKeychain::EntryNotFound:
        return KeychainProblem::NotFound;
    case QKeychain::AccessDeniedByUser:
        return KeychainProblem::Denied;
    case QKeychain::AccessDenied:
        return text.contains(QLatin1String("locked"), Qt::CaseInsensitive) ? KeychainProblem::Locked
                                                                           : KeychainProblem::Denied;
    case QKeychain::NoBackendAvailable:
        return KeychainProblem::NoService;
    }
    static const char* const noServiceHints[] = {
        "Could not connect",   "Cannot autolaunch", "org.freedesktop.secrets", "ServiceUnknown",
        "not provided by any", "No such interface", "D-Bus is not running",    "No keyring daemon",
    };
    for (const char* hint : noServiceHints) {
        if (text.contains(QLatin1String(hint), Qt::CaseInsensitive))
            return KeychainProblem::NoService;
    }
    if (text.contains(QLatin1String("locked"), Qt::CaseInsensitive))
        return KeychainProblem::Locked;
    return KeychainProblem::Other;
}

// The buffer is shared with a QtKeychain job; detaching it would copy the secret, so it is overwritten in place.
void wipeSharedBuffer(const QByteArray& bytes)
{
    volatile char* data = const_cast<char*>(bytes.constData());
    for (qsizetype i = 0; i < bytes.size(); ++i)
        data[i] = 0;
}

// Holds the bytes handed to a job until the job is destroyed, then wipes them.
struct JobBytes
{
    QByteArray bytes;
    ~JobBytes() { wipeSharedBuffer(bytes); }
};

// Runs done once: when the job finishes, or when the timeout strikes first (the job is then abandoned).
template <typename T>
class OneShot
{
public:
    explicit OneShot(std::function<void(Result<T>)> done)
        : m_done(std::move(done))
    {
    }
    bool answered() const { return m_answered; }
    void answer(Result<T> result)
    {
        if (m_answered)
            return;
        m_answered = true;
        auto done = std::move(m_done);
        done(std::move(result));
    }

private:
    bool m_answered = false;
    std::function<void(Result<T>)> m_done;
};

template <typename T>
std::shared_ptr<OneShot<T>> startTimeout(std::chrono::milliseconds timeout, QObject* context,
                                         std::function<void(Result<T>)> done)
{
    auto once = std::make_shared<OneShot<T>>(std::move(done));
    auto* timer = new QTimer(context);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, context, [once, timer, timeout] {
        timer->deleteLater();
        once->answer(makeError(KeychainProblem::TimedOut,
                               KeychainClientText::tr("no answer within %1 s").arg(timeout.count() / 1000.0)));
    });
    timer->start(timeout);
    return once;
}

void startJob(QKeychain::Job* job, const QString& entry)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(entry);
    job->start();
}

// Asks the Secret Service whether the default collection is locked: true, false, or an error when there is no
// Secret Service to ask. Elsewhere (macOS, Windows) the answer is always "not locked".
void probeLocked(QObject* context, std::chrono::milliseconds timeout, std::function<void(Result<bool>)> done)
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        done(makeError(KeychainProblem::NoService, bus.lastError().message()));
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.secrets"), QStringLiteral("/org/freedesktop/secrets/aliases/default"),
        QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
    call << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
    auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(call, int(timeout.count())), context);
    QObject::connect(watcher, &QDBusPendingCallWatcher::finished, context,
                     [watcher, done = std::move(done)](QDBusPendingCallWatcher*) {
                         watcher->deleteLater();
                         const QDBusPendingReply<QDBusVariant> reply = *watcher;
                         if (reply.isError()) {
                             const QDBusError error = reply.error();
                             if (error.type() == QDBusError::UnknownObject) // no default collection yet
                                 done(false);
                             else
                                 done(makeError(classify(QKeychain::OtherError, error.name() + error.message())
                                                        == KeychainProblem::NoService
                                                    ? KeychainProblem::NoService
                                                    : KeychainProblem::Other,
                                                error.message()));
                             return;
                         }
                         done(reply.value().variant().toBool());
                     });
#else
    Q_UNUSED(context);
    Q_UNUSED(timeout);
    done(false);
#endif
}

} // namespace

QString keychainProblemMessage(KeychainProblem problem)
{
    switch (problem) {
    case KeychainProblem::Locked:
        return KeychainClientText::tr("the keychain is locked");
    case KeychainProblem::Denied:
        return KeychainClientText::tr("access to the keychain was denied");
    case KeychainProblem::NoService:
        return KeychainClientText::tr("no Secret Service is running (is gnome-keyring or KeePassXC running?)");
    case KeychainProblem::NotFound:
        return KeychainClientText::tr("the keychain has no such entry");
    case KeychainProblem::TimedOut:
        return KeychainClientText::tr("the keychain did not answer");
    case KeychainProblem::Other:
        return KeychainClientText::tr("the keychain failed");
    }
    return {};
}

KeychainProblem keychainProblemOf(const Error& error)
{
    for (const KeychainProblem problem : {KeychainProblem::Locked, KeychainProblem::Denied, KeychainProblem::NoService,
                                          KeychainProblem::NotFound, KeychainProblem::TimedOut}) {
        if (error.message.startsWith(keychainProblemMessage(problem)))
            return problem;
    }
    return KeychainProblem::Other;
}

void KeychainClient::write(const QString& entry, const SecretBytes& secret, QObject* context,
                           std::function<void(Result<void>)> done) const
{
    auto once = startTimeout<void>(m_timeout, context, std::move(done));
    auto* job = new QKeychain::WritePasswordJob(m_service);
    auto bytes = std::make_shared<JobBytes>();
    bytes->bytes = QByteArray(secret.data(), secret.size());
    job->setBinaryData(bytes->bytes);
    // The copy lives exactly as long as the job, then is wiped.
    QObject::connect(job, &QObject::destroyed, [bytes] {});
    QObject::connect(job, &QKeychain::Job::finished, context, [once](QKeychain::Job* finished) {
        if (finished->error() == QKeychain::NoError)
            once->answer(Result<void>());
        else
            once->answer(makeError(classify(finished->error(), finished->errorString()), finished->errorString()));
    });
    startJob(job, entry);
}

void KeychainClient::read(const QString& entry, QObject* context, std::function<void(Result<SecretBytes>)> done) const
{
    auto once = startTimeout<SecretBytes>(m_timeout, context, std::move(done));
    auto* job = new QKeychain::ReadPasswordJob(m_service);
    const auto timeout = m_timeout;
    QObject::connect(job, &QKeychain::Job::finished, context, [once, context, timeout](QKeychain::Job* finished) {
        if (once->answered())
            return;
        if (finished->error() == QKeychain::NoError) {
            const QByteArray data = static_cast<QKeychain::ReadPasswordJob*>(finished)->binaryData();
            SecretBytes secret(data);
            wipeSharedBuffer(data);
            once->answer(std::move(secret));
            return;
        }
        const KeychainProblem problem = classify(finished->error(), finished->errorString());
        if (problem != KeychainProblem::NotFound) {
            once->answer(makeError(problem, finished->errorString()));
            return;
        }
        probeLocked(context, timeout, [once](Result<bool> locked) {
            if (!locked)
                once->answer(locked.error());
            else if (*locked)
                once->answer(makeError(KeychainProblem::Locked));
            else
                once->answer(makeError(KeychainProblem::NotFound));
        });
    });
    startJob(job, entry);
}

void KeychainClient::remove(const QString& entry, QObject* context, std::function<void(Result<void>)> done) const
{
    auto once = startTimeout<void>(m_timeout, context, std::move(done));
    const QString service = m_service;
    probeLocked(context, m_timeout, [once, context, entry, service](Result<bool> locked) {
        if (once->answered())
            return;
        if (!locked) {
            once->answer(locked.error());
            return;
        }
        if (*locked) {
            once->answer(makeError(KeychainProblem::Locked));
            return;
        }
        auto* job = new QKeychain::DeletePasswordJob(service);
        QObject::connect(job, &QKeychain::Job::finished, context, [once](QKeychain::Job* finished) {
            const KeychainProblem problem = classify(finished->error(), finished->errorString());
            if (finished->error() == QKeychain::NoError || problem == KeychainProblem::NotFound)
                once->answer(Result<void>());
            else
                once->answer(makeError(problem, finished->errorString()));
        });
        startJob(job, entry);
    });
}

} // namespace jwti
