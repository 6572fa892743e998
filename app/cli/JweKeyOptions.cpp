#include "cli/JweKeyOptions.h"

#include "cli/CliIo.h"
#include "core/crypto/SecretBytes.h"

namespace jwti {
namespace JweKeyOptions {

void add(ArgParser& parser)
{
    KeySpecOptions::add(parser);
    parser.addValue(QStringLiteral("password-file"));
}

QString helpText()
{
    return KeySpecOptions::helpText()
        + QStringLiteral("  --password-file F       instead of the above: a PBES2 password, the file's bytes (one\n"
                         "                          trailing newline ignored)\n"
                         "  A secret (--secret*) is an AES key-wrap, AES-GCM key-wrap or dir key of its length.\n");
}

Result<std::vector<Key>> load(ArgParser& parser, const KeySpecOptions::KeyHints& hints)
{
    if (!parser.isSet(QStringLiteral("password-file")))
        return KeySpecOptions::load(parser, hints);
    for (const QString& other :
         {QStringLiteral("key"), QStringLiteral("secret"), QStringLiteral("secret-hex"), QStringLiteral("secret-b64"),
          QStringLiteral("secret-file"), QStringLiteral("keystore")}) {
        if (parser.isSet(other))
            return Error{ErrorCode::Usage,
                         QStringLiteral("give one key source, not --password-file and --%1").arg(other)};
    }
    const QString path = parser.value(QStringLiteral("password-file"));
    auto password = readSecretFile(path, QStringLiteral("password"));
    if (!password)
        return password.error();
    Key key = Key::fromSecret(std::move(password).value());
    key.metadata.source = path;
    key.metadata.provenance.kind = KeyProvenance::Kind::File;
    key.metadata.provenance.file = path;
    key.metadata.provenance.chosenByUser = true;
    return std::vector<Key>{key};
}

} // namespace JweKeyOptions
} // namespace jwti
