#pragma once

// A tiny HTTP/1.1 server on 127.0.0.1 for tests that fetch documents: each path answers with a canned response,
// a redirect, an endless body, or never answers at all.

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

class LoopbackHttpServer
{
public:
    enum class Behaviour { Answer, NeverAnswer, EndlessBody };

    struct Route
    {
        int status = 200;
        QByteArray body;
        QByteArray contentType = "application/json";
        QByteArray location; // for redirects
        Behaviour behaviour = Behaviour::Answer;
    };

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }

    LoopbackHttpServer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket* socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { onReadyRead(socket); });
            }
        });
    }

    QUrl url(const QString& path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }
    void route(const QString& path, const Route& route) { m_routes.insert(path, route); }
    int requests(const QString& path) const { return m_hits.value(path); }

private:
    void onReadyRead(QTcpSocket* socket)
    {
        QByteArray& buffer = m_buffers[socket];
        buffer += socket->readAll();
        if (!buffer.contains("\r\n\r\n"))
            return;
        const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
        m_buffers.remove(socket);
        const QString path = requestLine.size() >= 2 ? QString::fromLatin1(requestLine.at(1)) : QString();
        m_hits[path] += 1;
        const auto found = m_routes.constFind(path);
        if (found == m_routes.constEnd()) {
            socket->write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            socket->disconnectFromHost();
            return;
        }
        const Route route = *found;
        switch (route.behaviour) {
        case Behaviour::NeverAnswer:
            return;
        case Behaviour::EndlessBody: {
            // No Content-Length: the client only learns the size by reading.
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[");
            auto* pump = new QTimer(socket);
            QObject::connect(pump, &QTimer::timeout, socket, [socket] {
                if (socket->bytesToWrite() < 256 * 1024)
                    socket->write(QByteArray(64 * 1024, ' '));
            });
            pump->start(1);
            return;
        }
        case Behaviour::Answer:
            break;
        }
        QByteArray response = "HTTP/1.1 " + QByteArray::number(route.status) + " Status\r\n";
        response += "Content-Type: " + route.contentType + "\r\n";
        if (!route.location.isEmpty())
            response += "Location: " + route.location + "\r\n";
        response += "Content-Length: " + QByteArray::number(route.body.size()) + "\r\nConnection: close\r\n\r\n";
        response += route.body;
        socket->write(response);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QString, Route> m_routes;
    QHash<QString, int> m_hits;
    QHash<QTcpSocket*, QByteArray> m_buffers;
};
