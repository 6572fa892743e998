#pragma once

#include <QIODevice>
#include <QStringList>
#include <QTextStream>

namespace jwti {

// jwt-inspector decode [--json] [TOKEN|-]: shows a token without checking it (paste noise removed and reported).
QString decodeHelp();
int runDecodeCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err);

} // namespace jwti
