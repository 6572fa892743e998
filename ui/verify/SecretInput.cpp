#include "verify/SecretInput.h"

#include "core/crypto/SecretBytes.h"
#include "shell/AppSettings.h"
#include "verify/SecretClipboard.h"

#include <QAbstractItemView>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QToolButton>

namespace jwti {

SecretInput::SecretInput(const QString& prefix, const QString& accessibleName, QWidget* parent)
    : QWidget(parent)
    , m_edit(new QLineEdit(this))
    , m_encoding(new QComboBox(this))
    , m_show(new QCheckBox(tr("Sho&w"), this))
    , m_copy(new QToolButton(this))
{
    setObjectName(prefix);
    m_edit->setObjectName(prefix + QStringLiteral("Edit"));
    m_edit->setAccessibleName(accessibleName);
    m_edit->setEchoMode(QLineEdit::Password);
    m_edit->setPlaceholderText(tr("shared secret"));
    m_edit->setClearButtonEnabled(true);
    setFocusProxy(m_edit);
    // The line edit's own clear button has no name: a screen reader would announce only "button".
    for (QToolButton* clear : m_edit->findChildren<QToolButton*>())
        clear->setAccessibleName(tr("Clear the secret"));
    m_encoding->setObjectName(prefix + QStringLiteral("Encoding"));
    m_encoding->setAccessibleName(tr("Secret encoding"));
    // As narrow as "Base64" needs, so the row fits a narrow side panel.
    m_encoding->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_encoding->setMinimumContentsLength(6);
    // Sizing it that way makes its popup list now: named like every other widget, for tests and screen readers.
    m_encoding->view()->setObjectName(prefix + QStringLiteral("EncodingList"));
    m_encoding->view()->setAccessibleName(tr("Secret encodings"));
    m_encoding->addItem(tr("Text"), int(SecretEncoding::Text));
    m_encoding->addItem(tr("Hex"), int(SecretEncoding::Hex));
    m_encoding->addItem(tr("Base64"), int(SecretEncoding::Base64));
    m_encoding->setToolTip(tr("How the secret is written: UTF-8 text, hex digits, or base64/base64url"));
    m_show->setObjectName(prefix + QStringLiteral("Show"));
    m_show->setAccessibleName(tr("Show the secret"));
    m_copy->setObjectName(prefix + QStringLiteral("Copy"));
    m_copy->setText(tr("Copy"));
    m_copy->setAccessibleName(tr("Copy the secret to the clipboard"));
    m_copy->setEnabled(false);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setAlignment(Qt::AlignTop);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_encoding);
    layout->addWidget(m_show);
    layout->addWidget(m_copy);

    connect(m_edit, &QLineEdit::textChanged, this, &SecretInput::changed);
    connect(m_edit, &QLineEdit::textChanged, this,
            [this](const QString& text) { m_copy->setEnabled(!text.isEmpty()); });
    connect(m_copy, &QToolButton::clicked, this, [this] {
        const int seconds = AppSettings::load().clipboardClearSeconds;
        SecretClipboard::instance().copy(m_edit->text(), seconds);
        m_copy->setToolTip(seconds > 0 ? tr("Copied; the clipboard is cleared in %n second(s).", nullptr, seconds)
                                       : tr("Copied; clearing the clipboard is turned off in Settings."));
    });
    connect(m_encoding, &QComboBox::currentIndexChanged, this, &SecretInput::changed);
    connect(m_show, &QCheckBox::toggled, this,
            [this](bool shown) { m_edit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password); });
}

bool SecretInput::isEmpty() const
{
    return m_edit->text().isEmpty();
}

SecretEncoding SecretInput::encoding() const
{
    return SecretEncoding(m_encoding->currentData().toInt());
}

Result<Key> SecretInput::key() const
{
    QByteArray bytes = m_edit->text().toUtf8();
    Result<Key> key = importSecret(bytes, encoding());
    wipeBytes(bytes);
    return key;
}

void SecretInput::setSecret(const QString& text, SecretEncoding encoding)
{
    const QSignalBlocker blocker(m_encoding);
    m_encoding->setCurrentIndex(m_encoding->findData(int(encoding)));
    m_edit->setText(text);
    emit changed();
}

void SecretInput::copyTo(SecretInput& other) const
{
    other.setSecret(m_edit->text(), encoding());
}

void SecretInput::clear()
{
    m_edit->clear();
    m_show->setChecked(false);
}

} // namespace jwti
