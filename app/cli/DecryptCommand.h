#pragma once

#include <QIODevice>
#include <QStringList>
#include <QTextStream>

namespace jwti {

// jwt-inspector decrypt KEYSPEC [--password-file F] [--json] [--alg ALG] [TOKEN|-]
QString decryptHelp();
int runDecryptCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err);

} // namespace jwti
