#pragma once

// One way for tests to run a program and read what it did: the built jwt-inspector (JWTI_BINARY, set by ctest), the
// interop scripts' interpreters, anything; or a command of the command line in the test's own process. The
// command-line, interop and keychain suites share it.

#include <QBuffer>
#include <QByteArray>
#include <QFileInfo>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <optional>

namespace testsupport {

struct ProcessRun
{
    int exitCode = -1; // -1: it did not start, crashed or timed out
    QByteArray out;
    QByteArray err;

    // The last line of standard output (verify prints its verdict there).
    QByteArray lastLine() const
    {
        const QList<QByteArray> lines = out.trimmed().split('\n');
        return lines.isEmpty() ? QByteArray() : lines.last();
    }
};

struct ProcessOptions
{
    QByteArray input; // written to standard input, which is then closed
    QString workingDirectory; // empty: the test's own
    std::optional<QProcessEnvironment> environment; // empty: the test's own
    int timeoutMs = 120000;
};

inline ProcessRun runProcess(const QString& program, const QStringList& args, const ProcessOptions& options = {})
{
    ProcessRun run;
    if (program.isEmpty())
        return run;
    QProcess process;
    if (!options.workingDirectory.isEmpty())
        process.setWorkingDirectory(options.workingDirectory);
    if (options.environment)
        process.setProcessEnvironment(*options.environment);
    process.start(program, args);
    if (!process.waitForStarted(10000)) {
        run.err = "could not start " + program.toLocal8Bit();
        return run;
    }
    process.write(options.input);
    process.closeWriteChannel();
    if (!process.waitForFinished(options.timeoutMs)) {
        process.kill();
        process.waitForFinished(10000);
        run.err = "timed out";
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

// What a command run in this process wrote, and its exit code.
struct CommandRun
{
    int code = -1;
    QString out;
    QString err;
};

// A command of the command line (runCli, runKeysCommand, …: int(args, in, out, err)) run in this process, with input
// on its standard input. In process, it shares the test's keychain, index and environment.
template <typename Command>
CommandRun runInProcess(Command command, const QStringList& args, const QByteArray& input = {})
{
    QByteArray inputCopy = input;
    QBuffer in(&inputCopy);
    in.open(QIODevice::ReadOnly);
    CommandRun run;
    QTextStream out(&run.out);
    QTextStream err(&run.err);
    run.code = command(args, in, out, err);
    out.flush();
    err.flush();
    return run;
}

// The built jwt-inspector, as ctest names it in JWTI_BINARY.
inline QString jwtInspectorBinary()
{
    return qEnvironmentVariable("JWTI_BINARY");
}

inline ProcessRun runJwtInspector(const QStringList& args, const ProcessOptions& options = {})
{
    return runProcess(jwtInspectorBinary(), args, options);
}

// The Debian python3 with python3-jwt and python3-jwcrypto; a python3 earlier on PATH (pyenv, venv) may lack them.
inline QString interopPython()
{
    if (QFileInfo(QStringLiteral("/usr/bin/python3")).isExecutable())
        return QStringLiteral("/usr/bin/python3");
    return QStandardPaths::findExecutable(QStringLiteral("python3"));
}

// A script of tests/interop/scripts (JWTI_SOURCE_DIR is set by ctest).
inline QString interopScript(const QString& name)
{
    return qEnvironmentVariable("JWTI_SOURCE_DIR") + QStringLiteral("/tests/interop/scripts/") + name;
}

} // namespace testsupport
