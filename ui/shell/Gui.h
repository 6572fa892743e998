#pragma once

#include <QStringList>

namespace jwti {

// Runs the window (the QApplication is made here, so the command line never needs a display).
int runGui(int& argc, char** argv, const QStringList& tokensOrFiles);

} // namespace jwti
