#include "cli/Commands.h"

#include "cli/DecodeCommand.h"
#include "cli/DecryptCommand.h"
#include "cli/EncryptCommand.h"
#include "cli/KeygenCommand.h"
#include "cli/KeysCommand.h"
#include "cli/SignCommand.h"
#include "cli/VerifyCommand.h"

#include <QCoreApplication>

namespace jwti {
namespace {

QString keysHelp()
{
    return QStringLiteral("Usage: jwt-inspector keys list|import|generate|export|rotate|retire|delete …\n"
                          "\n"
                          "Keys kept in the OS keychain. See jwt-inspector keys --help.\n");
}

} // namespace

const std::vector<CliCommand>& cliCommands()
{
    static const std::vector<CliCommand> commands = {
        {QStringLiteral("decode"), QStringLiteral("show a token's header, payload, claims and findings (no check)"),
         decodeHelp, runDecodeCommand},
        {QStringLiteral("verify"), QStringLiteral("verify a token's signature and claims with a key"), verifyHelp,
         runVerifyCommand},
        {QStringLiteral("verify-signature"), QStringLiteral("verify a raw signature over raw bytes"),
         verifySignatureHelp, runVerifySignatureCommand},
        {QStringLiteral("sign"), QStringLiteral("sign a JSON payload into a compact token"), signHelp, runSignCommand},
        {QStringLiteral("decrypt"), QStringLiteral("decrypt a JWE with a key and print its plaintext"), decryptHelp,
         runDecryptCommand},
        {QStringLiteral("encrypt"), QStringLiteral("encrypt a payload into a compact JWE"), encryptHelp,
         runEncryptCommand},
        {QStringLiteral("keygen"), QStringLiteral("generate a key pair or an HMAC secret into files"), keygenHelp,
         runKeygenCommand},
        {QStringLiteral("thumbprint"), QStringLiteral("print the RFC 7638 thumbprint of each key in a file"),
         thumbprintHelp, runThumbprintCommand},
        {QStringLiteral("keys"), QStringLiteral("manage keys kept in the OS keychain"), keysHelp, runKeysCommand},
    };
    return commands;
}

const CliCommand* findCliCommand(const QString& name)
{
    for (const CliCommand& command : cliCommands()) {
        if (command.name == name)
            return &command;
    }
    return nullptr;
}

QString versionText()
{
    QString version = QCoreApplication::applicationVersion();
    if (version.isEmpty())
        version = QStringLiteral(JWTI_VERSION);
    return QStringLiteral("jwt-inspector %1\n").arg(version);
}

QString generalHelp()
{
    QString text = QStringLiteral("Usage: jwt-inspector [TOKEN|FILE]        open the window (with that token)\n"
                                  "       jwt-inspector COMMAND [OPTIONS]   work on the command line\n"
                                  "\n"
                                  "Commands:\n");
    for (const CliCommand& command : cliCommands())
        text += QStringLiteral("  %1%2\n").arg(command.name.leftJustified(18), command.summary);
    text += QStringLiteral("  %1%2\n")
                .arg(QStringLiteral("help [COMMAND]").leftJustified(18),
                     QStringLiteral("show this text or a command's"));
    text += QStringLiteral("\n"
                           "Options: --help, --version. Every command takes --help.\n"
                           "Exit codes: 0 valid/ok, 1 invalid (signature, claims), 2 usage or malformed input,\n"
                           "            3 keychain or I/O failure.\n");
    return text;
}

} // namespace jwti
