#include "keys/KeyPrompts.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>

namespace jwti {

namespace {

std::optional<bool>& nextConfirm()
{
    static std::optional<bool> next;
    return next;
}

std::optional<QByteArray>& nextPassphrase()
{
    static std::optional<QByteArray> next;
    return next;
}

} // namespace

bool KeyPrompts::confirm(QWidget* parent, const QString& title, const QString& text)
{
    if (auto& next = nextConfirm()) {
        const bool answer = *next;
        next.reset();
        return answer;
    }
    return QMessageBox::question(parent, title, text, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
        == QMessageBox::Yes;
}

std::optional<SecretBytes> KeyPrompts::newPassphrase(QWidget* parent, const QString& title)
{
    if (auto& next = nextPassphrase()) {
        QByteArray bytes = *next;
        next.reset();
        if (bytes.isEmpty())
            return std::nullopt;
        SecretBytes passphrase(bytes);
        wipeBytes(bytes);
        return passphrase;
    }
    QDialog dialog(parent);
    dialog.setWindowTitle(title);
    auto* layout = new QFormLayout(&dialog);
    auto* note = new QLabel(QObject::tr("The private key is written as encrypted PKCS#8 (AES-256-CBC, key from the "
                                        "passphrase by PBKDF2). Without the passphrase nobody can read it."),
                            &dialog);
    note->setWordWrap(true);
    layout->addRow(note);
    auto* first = new QLineEdit(&dialog);
    auto* second = new QLineEdit(&dialog);
    first->setEchoMode(QLineEdit::Password);
    second->setEchoMode(QLineEdit::Password);
    layout->addRow(QObject::tr("Passphrase:"), first);
    layout->addRow(QObject::tr("Again:"), second);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    layout->addRow(buttons);
    QPushButton* ok = buttons->button(QDialogButtonBox::Ok);
    ok->setEnabled(false);
    auto check = [&] { ok->setEnabled(!first->text().isEmpty() && first->text() == second->text()); };
    QObject::connect(first, &QLineEdit::textChanged, &dialog, check);
    QObject::connect(second, &QLineEdit::textChanged, &dialog, check);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    std::optional<SecretBytes> result;
    if (dialog.exec() == QDialog::Accepted) {
        QByteArray bytes = first->text().toUtf8();
        result = SecretBytes(bytes);
        wipeBytes(bytes);
    }
    first->clear();
    second->clear();
    return result;
}

void KeyPrompts::setNextConfirm(bool answer)
{
    nextConfirm() = answer;
}

void KeyPrompts::setNextPassphrase(const QByteArray& passphrase)
{
    nextPassphrase() = passphrase;
}

QString saveBytesTo(const QString& fileName, const QByteArray& bytes)
{
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly))
        return QObject::tr("Cannot write %1: %2").arg(fileName, file.errorString());
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    file.write(bytes);
    if (!file.commit())
        return QObject::tr("Cannot write %1: %2").arg(fileName, file.errorString());
    return {};
}

} // namespace jwti
