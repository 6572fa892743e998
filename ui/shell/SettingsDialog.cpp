#include "shell/SettingsDialog.h"

#include "shell/RecentTokens.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace jwti {

namespace {

QComboBox* makeCombo(QWidget* parent, const QString& name, const QList<std::pair<QString, QVariant>>& items,
                     const QVariant& current)
{
    auto* combo = new QComboBox(parent);
    combo->setObjectName(name);
    for (const auto& [text, value] : items)
        combo->addItem(text, value);
    combo->setCurrentIndex(std::max(0, combo->findData(current)));
    return combo;
}

} // namespace

SettingsDialog::SettingsDialog(const AppSettings& settings, QWidget* parent)
    : QDialog(parent)
    , m_leeway(new QSpinBox(this))
    , m_rsaBits(makeCombo(this, QStringLiteral("settingsRsaBits"),
                          {{tr("2048 bits"), 2048}, {tr("3072 bits"), 3072}, {tr("4096 bits"), 4096}},
                          settings.rsaBits))
    , m_ecCurve(makeCombo(this, QStringLiteral("settingsEcCurve"),
                          {{tr("P-256 (ES256)"), QStringLiteral("P-256")},
                           {tr("P-384 (ES384)"), QStringLiteral("P-384")},
                           {tr("P-521 (ES512)"), QStringLiteral("P-521")}},
                          settings.ecCurve))
    , m_hmacBits(
          makeCombo(this, QStringLiteral("settingsHmacBits"),
                    {{tr("256 bits (HS256)"), 256}, {tr("384 bits (HS384)"), 384}, {tr("512 bits (HS512)"), 512}},
                    settings.hmacBits))
    , m_clipboardSeconds(new QSpinBox(this))
    , m_liveTimes(new QCheckBox(tr("Update relative times (\u201cexpires in 14 min\u201d) every second"), this))
    , m_recentTokens(new QCheckBox(tr("Remember the last %1 tokens").arg(RecentTokens::kMaxTokens), this))
    , m_recentTokensNote(new QLabel(this))
    , m_theme(makeCombo(this, QStringLiteral("settingsTheme"),
                        {{tr("Follow the desktop"), QStringLiteral("system")},
                         {tr("Light"), QStringLiteral("light")},
                         {tr("Dark"), QStringLiteral("dark")}},
                        settings.theme))
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));

    m_leeway->setObjectName(QStringLiteral("settingsLeeway"));
    m_leeway->setRange(0, 3600);
    m_leeway->setSuffix(tr(" s"));
    m_leeway->setValue(settings.leewaySeconds);
    m_leeway->setAccessibleName(tr("Leeway for exp, nbf and iat, in seconds"));
    m_leeway->setToolTip(tr("Clock skew allowed when checking exp, nbf and iat (RFC 7519 \u00a74.1.4 allows a small "
                            "leeway, usually no more than a few minutes)."));

    m_clipboardSeconds->setObjectName(QStringLiteral("settingsClipboardSeconds"));
    m_clipboardSeconds->setRange(0, 600);
    m_clipboardSeconds->setSuffix(tr(" s"));
    m_clipboardSeconds->setSpecialValueText(tr("never"));
    m_clipboardSeconds->setValue(settings.clipboardClearSeconds);
    m_clipboardSeconds->setAccessibleName(tr("Clear copied secrets from the clipboard after this many seconds"));

    m_liveTimes->setObjectName(QStringLiteral("settingsLiveTimes"));
    m_liveTimes->setChecked(settings.liveRelativeTimes);
    m_recentTokens->setObjectName(QStringLiteral("settingsRecentTokens"));
    m_recentTokens->setChecked(settings.rememberRecentTokens);
    m_recentTokensNote->setObjectName(QStringLiteral("settingsRecentTokensNote"));
    m_recentTokensNote->setWordWrap(true);
    m_recentTokensNote->setText(
        tr("Tokens are credentials: whoever holds one can use it until it expires. When this is on they are kept in "
           "the system keychain, never in a file; turning it off deletes them. Recent files keep only the file "
           "name."));

    m_theme->setAccessibleName(tr("Colour theme"));
    auto* appearanceBox = new QGroupBox(tr("Appearance"), this);
    auto* appearanceForm = new QFormLayout(appearanceBox);
    appearanceForm->addRow(tr("&Theme:"), m_theme);

    auto* verifyBox = new QGroupBox(tr("Verifying"), this);
    auto* verifyForm = new QFormLayout(verifyBox);
    verifyForm->addRow(tr("Claim &leeway:"), m_leeway);
    verifyForm->addRow(m_liveTimes);

    auto* keysBox = new QGroupBox(tr("New keys"), this);
    auto* keysForm = new QFormLayout(keysBox);
    keysForm->addRow(tr("&RSA modulus:"), m_rsaBits);
    keysForm->addRow(tr("&EC curve:"), m_ecCurve);
    keysForm->addRow(tr("&HMAC secret:"), m_hmacBits);

    auto* privacyBox = new QGroupBox(tr("Privacy"), this);
    auto* privacyForm = new QFormLayout(privacyBox);
    privacyForm->addRow(tr("Clear copied &secrets after:"), m_clipboardSeconds);
    privacyForm->addRow(m_recentTokens);
    privacyForm->addRow(m_recentTokensNote);
    auto* clearFiles = new QPushButton(tr("Clear recent &files"), privacyBox);
    clearFiles->setObjectName(QStringLiteral("settingsClearRecentFiles"));
    clearFiles->setEnabled(!AppSettings::recentFiles().isEmpty());
    privacyForm->addRow(clearFiles);
    connect(clearFiles, &QPushButton::clicked, this, [this, clearFiles] {
        m_clearRecentFiles = true;
        clearFiles->setEnabled(false);
        clearFiles->setText(tr("Recent files will be cleared"));
    });

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(appearanceBox);
    layout->addWidget(verifyBox);
    layout->addWidget(keysBox);
    layout->addWidget(privacyBox);
    layout->addStretch();
    layout->addWidget(buttons);
}

AppSettings SettingsDialog::settings() const
{
    AppSettings settings;
    settings.leewaySeconds = m_leeway->value();
    settings.rsaBits = m_rsaBits->currentData().toInt();
    settings.ecCurve = m_ecCurve->currentData().toString();
    settings.hmacBits = m_hmacBits->currentData().toInt();
    settings.clipboardClearSeconds = m_clipboardSeconds->value();
    settings.liveRelativeTimes = m_liveTimes->isChecked();
    settings.rememberRecentTokens = m_recentTokens->isChecked();
    settings.theme = m_theme->currentData().toString();
    return settings;
}

} // namespace jwti
