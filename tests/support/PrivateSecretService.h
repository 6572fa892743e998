#pragma once

// A Secret Service of the test's own: a private D-Bus session and a gnome-keyring-daemon unlocked with a throwaway
// password, in a temporary HOME. Keychain tests use it so they never touch the user's keyring and so one test may
// lock its keyring without failing the tests that run beside it. Call start() before anything in the process
// touches D-Bus: libsecret and QtDBus both keep the first session bus they connect to.

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

class PrivateSecretService
{
public:
    PrivateSecretService() = default;
    PrivateSecretService(const PrivateSecretService&) = delete;
    PrivateSecretService& operator=(const PrivateSecretService&) = delete;
    ~PrivateSecretService() { stop(); }

    // Empty on success, else why it could not start. Without activation the bus starts no service by itself, so a
    // test may kill the keyring and be sure no other (locked, or someone else's) keyring takes its place.
    QString start(bool allowActivation = true)
    {
        if (!m_home.isValid())
            return QStringLiteral("no temporary folder");
        const QString dbusDaemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        const QString keyring = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
        if (dbusDaemon.isEmpty() || keyring.isEmpty())
            return QStringLiteral(
                "dbus-daemon or gnome-keyring-daemon is not installed (packaging/install-deps.sh test)");
        QDir(m_home.path()).mkpath(QStringLiteral("data"));

        m_bus.setProgram(dbusDaemon);
        QStringList busArguments = {QStringLiteral("--nofork"), QStringLiteral("--print-address=1")};
        if (allowActivation) {
            busArguments << QStringLiteral("--session");
        } else {
            const QString config = m_home.filePath(QStringLiteral("bus.conf"));
            QFile file(config);
            if (!file.open(QIODevice::WriteOnly))
                return QStringLiteral("cannot write the bus configuration");
            file.write("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
                       "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                       "<busconfig><type>session</type><keep_umask/><listen>unix:tmpdir=/tmp</listen>"
                       "<auth>EXTERNAL</auth><policy context=\"default\"><allow send_destination=\"*\" "
                       "eavesdrop=\"true\"/><allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n");
            file.close();
            busArguments << QStringLiteral("--config-file=") + config;
        }
        m_bus.setArguments(busArguments);
        m_bus.setProcessChannelMode(QProcess::SeparateChannels);
        m_bus.start();
        if (!m_bus.waitForStarted(10000))
            return QStringLiteral("dbus-daemon did not start");
        QByteArray line;
        const QDeadlineTimer busDeadline(10000);
        while (!line.contains('\n') && !busDeadline.hasExpired()) {
            m_bus.waitForReadyRead(200);
            line += m_bus.readAllStandardOutput();
        }
        m_address = QString::fromUtf8(line.trimmed());
        if (m_address.isEmpty())
            return QStringLiteral("dbus-daemon printed no address");

        if (const QString problem = startKeyring(); !problem.isEmpty())
            return problem;
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_address.toUtf8());
        // Each test process gets its own HOME and XDG folders too, so tests running side by side never share an
        // index file (QStandardPaths' test mode still lives under HOME).
        QDir(m_home.path()).mkpath(QStringLiteral("app/config"));
        QDir(m_home.path()).mkpath(QStringLiteral("app/data"));
        QDir(m_home.path()).mkpath(QStringLiteral("app/cache"));
        qputenv("HOME", (m_home.path() + QStringLiteral("/app")).toUtf8());
        qputenv("XDG_CONFIG_HOME", (m_home.path() + QStringLiteral("/app/config")).toUtf8());
        qputenv("XDG_DATA_HOME", (m_home.path() + QStringLiteral("/app/data")).toUtf8());
        qputenv("XDG_CACHE_HOME", (m_home.path() + QStringLiteral("/app/cache")).toUtf8());
        return {};
    }

    // Kills the keyring daemon at once (SIGKILL), as a crash would.
    void killKeyring()
    {
        m_keyring.kill();
        m_keyring.waitForFinished(5000);
    }

    // Starts the keyring daemon again over the same keyring files, unlocked; empty on success.
    QString startKeyring()
    {
        const QString keyring = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), m_address);
        environment.insert(QStringLiteral("HOME"), m_home.path());
        environment.insert(QStringLiteral("XDG_DATA_HOME"), m_home.path() + QStringLiteral("/data"));
        environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_home.path());
        m_keyring.setProcessEnvironment(environment);
        m_keyring.setProgram(keyring);
        m_keyring.setArguments(
            {QStringLiteral("--foreground"), QStringLiteral("--unlock"), QStringLiteral("--components=secrets")});
        m_keyring.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_keyring.start();
        if (!m_keyring.waitForStarted(10000))
            return QStringLiteral("gnome-keyring-daemon did not start");
        m_keyring.write("throwaway-test-password");
        m_keyring.waitForBytesWritten(5000);
        m_keyring.closeWriteChannel();

        // Wait until the keyring owns the name; a call before that would make the bus start a second, locked one.
        QDBusConnection probe
            = QDBusConnection::connectToBus(m_address, QStringLiteral("private-secret-service-probe"));
        const QDeadlineTimer deadline(15000);
        bool ready = false;
        while (!ready && !deadline.hasExpired()) {
            ready = probe.isConnected()
                && probe.interface()->isServiceRegistered(QStringLiteral("org.freedesktop.secrets"));
            if (!ready)
                QThread::msleep(50);
        }
        const QString probeError = probe.isConnected() ? QStringLiteral("up") : probe.lastError().message();
        QDBusConnection::disconnectFromBus(QStringLiteral("private-secret-service-probe"));
        if (!ready) {
            return QStringLiteral("gnome-keyring-daemon never registered org.freedesktop.secrets (keyring %1, bus "
                                  "connection %2)")
                .arg(m_keyring.state() == QProcess::Running
                         ? QStringLiteral("running")
                         : QStringLiteral("exited with %1").arg(m_keyring.exitCode()),
                     probeError);
        }
        return {};
    }

    const QString& address() const { return m_address; }

    // org.freedesktop.Secret.Service.Lock on the default collection, through this process's session bus.
    bool lockDefaultCollection() const
    {
        QDBusMessage call = QDBusMessage::createMethodCall(
            QStringLiteral("org.freedesktop.secrets"), QStringLiteral("/org/freedesktop/secrets"),
            QStringLiteral("org.freedesktop.Secret.Service"), QStringLiteral("Lock"));
        call << QVariant::fromValue(
            QList<QDBusObjectPath>{QDBusObjectPath("/org/freedesktop/secrets/aliases/default")});
        const QDBusMessage reply = QDBusConnection::sessionBus().call(call, QDBus::Block, 10000);
        return reply.type() == QDBusMessage::ReplyMessage;
    }

    void stop()
    {
        for (QProcess* process : {&m_keyring, &m_bus}) {
            if (process->state() == QProcess::NotRunning)
                continue;
            process->terminate();
            if (!process->waitForFinished(5000)) {
                process->kill();
                process->waitForFinished(5000);
            }
        }
    }

private:
    QTemporaryDir m_home;
    QProcess m_bus;
    QProcess m_keyring;
    QString m_address;
};
