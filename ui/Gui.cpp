#include "Gui.h"

#include <QApplication>
#include <QLabel>

namespace jwti {

int runGui(int& argc, char** argv, const QStringList& tokensOrFiles)
{
    Q_UNUSED(tokensOrFiles);
    QApplication app(argc, argv);
    QLabel placeholder(QObject::tr("JWT Inspector: the window is under construction; see jwt-inspector --help."));
    placeholder.show();
    return app.exec();
}

} // namespace jwti
