#include "shell/AboutDialog.h"

#include "core/crypto/CryptoLibrary.h"
#include "keystore/KeyIndex.h"
#include "keystore/KeychainClient.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QSysInfo>
#include <QVBoxLayout>

namespace jwti {

QString AboutDialog::versionReport()
{
    QStringList lines;
    lines << tr("JWT Inspector %1").arg(QApplication::applicationVersion());
    lines << tr("Qt %1 (built with %2)").arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR));
    lines << tr("%1 (built with %2)").arg(openSslRuntimeVersion(), openSslBuildVersion());
    lines << tr("QtKeychain %1").arg(KeychainClient::libraryVersion());
    lines << tr("%1, %2").arg(QSysInfo::prettyProductName(), QSysInfo::buildCpuArchitecture());
    return lines.join(QLatin1Char('\n'));
}

AboutDialog::AboutDialog(QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About JWT Inspector"));

    auto* icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/ui/jwt-inspector.svg")).pixmap(64, 64));

    auto* title
        = new QLabel(tr("<h2>JWT Inspector %1</h2>").arg(QApplication::applicationVersion().toHtmlEscaped()), this);
    auto* summary = new QLabel(tr("Decode, verify, sign and explain JSON Web Tokens (RFC 7519, 7515, 7518, 8037, "
                                  "8725). Tokens and keys stay on this computer: nothing is sent anywhere unless you "
                                  "fetch a key set yourself, and secrets never go to settings, logs or temporary "
                                  "files."),
                               this);
    summary->setWordWrap(true);

    auto* versions
        = new QLabel(versionReport().toHtmlEscaped().replace(QLatin1Char('\n'), QLatin1String("<br>")), this);
    versions->setObjectName(QStringLiteral("aboutVersions"));
    versions->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* storage = new QLabel(
        tr("Private keys and secrets: the system keychain (service \u201c%1\u201d).<br>Key "
           "index (public parts and names only): %2")
            .arg(KeychainClient::defaultServiceName().toHtmlEscaped(), KeyIndex::defaultPath().toHtmlEscaped()),
        this);
    storage->setObjectName(QStringLiteral("aboutStorage"));
    storage->setWordWrap(true);
    storage->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* licences = new QLabel(
        tr("MIT licence. Uses Qt (LGPLv3), OpenSSL (Apache License 2.0) and QtKeychain (BSD 3-clause). The list of "
           "common JWT secrets comes from wallarm/jwt-secrets (MIT). Full texts: /usr/share/doc/jwt-inspector/."),
        this);
    licences->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* copy = buttons->addButton(tr("&Copy versions"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("aboutCopyVersions"));
    connect(copy, &QPushButton::clicked, this, [] { QGuiApplication::clipboard()->setText(versionReport()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(icon);
    layout->addWidget(title);
    layout->addWidget(summary);
    layout->addWidget(versions);
    layout->addWidget(storage);
    layout->addWidget(licences);
    layout->addWidget(buttons);
    setMinimumWidth(520);
}

} // namespace jwti
