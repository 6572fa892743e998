#pragma once

#include "shell/MainWindow.h"

#include <QStringList>
#include <memory>
#include <vector>

namespace jwti {

// Runs the window (the QApplication is made here, so the command line never needs a display). Every argument is a
// token or a file to open; there are no hidden options.
int runGui(int& argc, char** argv, const QStringList& tokensOrFiles);

// The application's names, version and icon, as the desktop and the keychain know it (QApplication made already).
// The window and tools/screenshots share it, so both read the same settings and keychain items.
void describeApplication();

// A window per token or file (at most eight), or one empty window; not shown yet.
std::vector<std::unique_ptr<MainWindow>> openWindows(const QStringList& tokensOrFiles,
                                                     MainWindow::Options options = MainWindow::Options::Default);

} // namespace jwti
