#pragma once

// The one set-up of every test that touches a keychain (tests/keychain, and the gui tests with a key store): a
// private Secret Service (PrivateSecretService), the application named as the window and the command line name it,
// QStandardPaths in test mode, and an empty key index. A test holds one as a member and starts it first thing in
// initTestCase, before anything in the process touches D-Bus:
//
//     KeychainTestFixture m_keychain;
//     void initTestCase() { QVERIFY2(m_keychain.start(), qPrintable(m_keychain.problem())); … }
//
// A test that runs the built binary against the same keychain passes cliEnvironment(home) to it.

#include "PrivateSecretService.h"

#include <QCoreApplication>
#include <QDir>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QString>

class KeychainTestFixture
{
public:
    // Forbidden: the bus starts no Secret Service by itself, so a test that kills its keyring is sure no other
    // keyring takes its place (PrivateSecretService::start).
    enum class Activation { Allowed, Forbidden };

    bool start(Activation activation = Activation::Allowed)
    {
        const QString problem = m_service.start(activation == Activation::Allowed);
        if (!problem.isEmpty()) {
            m_problem = QStringLiteral("cannot start a private Secret Service: ") + problem;
            return false;
        }
        QCoreApplication::setApplicationName(QStringLiteral("jwt-inspector"));
        QStandardPaths::setTestModeEnabled(true);
        clearIndex();
        return true;
    }

    // Why start() failed.
    const QString& problem() const { return m_problem; }

    // Forgets every key index entry (the app's data folder, in test mode); keychain items stay. For init() of tests
    // that want a fresh index per test function.
    static void clearIndex()
    {
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
    }

    // The process environment for the built binary with its own HOME and XDG folders under home (its index apart
    // from the test's), on this test's private session bus.
    static QProcessEnvironment cliEnvironment(const QString& home)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HOME"), home);
        environment.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
        return environment;
    }

    // Locking, killing and restarting the keyring, for the failure tests.
    PrivateSecretService& service() { return m_service; }

private:
    PrivateSecretService m_service;
    QString m_problem;
};
