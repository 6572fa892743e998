#pragma once

#include <QIODevice>
#include <QStringList>
#include <QTextStream>

namespace jwti {

// jwt-inspector encrypt KEYSPEC --alg ALG --enc ENC [--zip DEF] [--kid K] [--cty C] [--p2c N] (PAYLOAD | -)
QString encryptHelp();
int runEncryptCommand(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err);

} // namespace jwti
