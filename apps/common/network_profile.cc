#include "apps/common/network_profile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace carledger::app {
namespace {

Result<QByteArray> ReadAll(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) {
    return Status::NotFound(("cannot read " + path + ": " + f.errorString()).toStdString());
  }
  return f.readAll();
}

Result<QList<NodeEndpoint>> ParseNodes(const QJsonArray& nodes, const QString& where) {
  QList<NodeEndpoint> out;
  for (const QJsonValue& v : nodes) {
    QJsonObject n = v.toObject();
    NodeEndpoint e{n.value("name").toString(), n.value("api_address").toString(),
                   n.value("tls_name").toString()};
    if (e.address.isEmpty()) continue;  // a node without a public API (not this app's)
    if (e.tls_name.isEmpty()) e.tls_name = e.address.section(':', 0, 0);
    if (e.name.isEmpty()) e.name = e.address;
    out.push_back(e);
  }
  if (out.isEmpty()) {
    return Status::InvalidArgument((where + ": no node with an api_address").toStdString());
  }
  return out;
}

}  // namespace

Result<NetworkProfile> LoadNetworkProfile(const QString& path) {
  QFileInfo info(path);
  if (!info.exists()) return Status::NotFound(("no network profile at " + path).toStdString());
  NetworkProfile p;
  if (info.isDir()) {
    QDir dir(path);
    CL_ASSIGN_OR_RETURN(QByteArray manifest, ReadAll(dir.filePath("network.json")));
    CL_ASSIGN_OR_RETURN(QByteArray ca, ReadAll(dir.filePath("ca/ca.crt")));
    QJsonDocument doc = QJsonDocument::fromJson(manifest);
    if (!doc.isObject()) return Status::InvalidArgument("network.json: not a JSON object");
    CL_ASSIGN_OR_RETURN(
        p.nodes, ParseNodes(doc.object().value("nodes").toArray(), dir.filePath("network.json")));
    p.ca_pem = QString::fromUtf8(ca);
    if (!IsPemCertificate(p.ca_pem)) {
      return Status::InvalidArgument(
          (dir.filePath("ca/ca.crt") + ": not a PEM certificate").toStdString());
    }
    return p;
  }
  CL_ASSIGN_OR_RETURN(QByteArray body, ReadAll(path));
  QJsonDocument doc = QJsonDocument::fromJson(body);
  if (!doc.isObject()) return Status::InvalidArgument((path + ": not a JSON object").toStdString());
  p.ca_pem = doc.object().value("ca_pem").toString();
  if (!IsPemCertificate(p.ca_pem)) {
    return Status::InvalidArgument((path + ": ca_pem: not a PEM certificate").toStdString());
  }
  CL_ASSIGN_OR_RETURN(p.nodes, ParseNodes(doc.object().value("nodes").toArray(), path));
  return p;
}

QByteArray ProfileToJson(const NetworkProfile& profile) {
  QJsonArray nodes;
  for (const NodeEndpoint& n : profile.nodes) {
    nodes.append(
        QJsonObject{{"name", n.name}, {"api_address", n.address}, {"tls_name", n.tls_name}});
  }
  return QJsonDocument(QJsonObject{{"ca_pem", profile.ca_pem}, {"nodes", nodes}}).toJson();
}

}  // namespace carledger::app
