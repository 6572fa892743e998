#include "shell/FileDialogs.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <optional>

namespace jwti {

namespace {

std::optional<QString>& nextFileName()
{
    static std::optional<QString> next;
    return next;
}

} // namespace

bool FileDialogs::takeNext(QString& fileName)
{
    auto& next = nextFileName();
    if (!next)
        return false;
    fileName = *next;
    next.reset();
    return true;
}

void FileDialogs::setNextFileName(const QString& fileName)
{
    nextFileName() = fileName;
}

QString FileDialogs::getOpenFileName(QWidget* parent, const QString& caption, const QString& filter)
{
    QString fileName;
    if (takeNext(fileName))
        return fileName;
    return QFileDialog::getOpenFileName(parent, caption, {}, filter);
}

QString FileDialogs::getSaveFileName(QWidget* parent, const QString& caption, const QString& suggestedName,
                                     const QString& filter)
{
    QString fileName;
    if (takeNext(fileName))
        return fileName;
    return QFileDialog::getSaveFileName(parent, caption, suggestedName, filter);
}

bool FileDialogs::readFile(const QString& fileName, qsizetype maxBytes, QByteArray& contents, QString& error)
{
    QFile file(fileName);
    const QString shownName = QFileInfo(fileName).fileName();
    if (!file.open(QIODevice::ReadOnly)) {
        error = QCoreApplication::translate("FileDialogs", "Cannot open %1: %2").arg(shownName, file.errorString());
        return false;
    }
    if (file.size() > maxBytes) {
        error = QCoreApplication::translate("FileDialogs", "%1 is too large (%2 bytes; the limit is %3).")
                    .arg(shownName)
                    .arg(file.size())
                    .arg(maxBytes);
        return false;
    }
    contents = file.read(maxBytes + 1);
    if (contents.size() > maxBytes) {
        error = QCoreApplication::translate("FileDialogs", "%1 is too large (the limit is %2 bytes).")
                    .arg(shownName)
                    .arg(maxBytes);
        return false;
    }
    return true;
}

} // namespace jwti
