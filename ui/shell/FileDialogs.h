#pragma once

#include <QString>

class QWidget;

namespace jwti {

// The one way ui/ asks for a file name. Tests tell it the next answer instead of facing a modal dialog
// (the seam KeePassXC uses for its GUI tests).
class FileDialogs
{
public:
    static QString getOpenFileName(QWidget* parent, const QString& caption, const QString& filter = {});
    static QString getSaveFileName(QWidget* parent, const QString& caption, const QString& suggestedName = {},
                                   const QString& filter = {});

    // The next call answers with this name without showing a dialog (an empty name = the user cancelled).
    static void setNextFileName(const QString& fileName);

    // Reads a text file the user chose, refusing anything over maxBytes; error says why in plain words.
    static bool readFile(const QString& fileName, qsizetype maxBytes, QByteArray& contents, QString& error);

private:
    static bool takeNext(QString& fileName);
};

} // namespace jwti
