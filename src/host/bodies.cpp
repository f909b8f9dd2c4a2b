// InBody and OutWriter (connection.h): the request body read from the socket as the guest asks
// (Beast's parser into a buffer_body, one chunk at a time) and the response body queued for the
// socket (Beast's chunk encoding when there is no content-length, trailers in the last chunk).
#include <boost/asio/write.hpp>

#include <utility>

#include "rill/host/connection.h"

namespace rill::host {

InBody::InBody(std::shared_ptr<Connection> conn) : conn_(std::move(conn)) {
  done_ = conn_->parser->is_done();  // no body at all
}

void InBody::wake() {
  std::vector<engine::WakerPtr> ws;
  ws.swap(waiters_);
  for (const auto& w : ws)
    w->wake();
}

void InBody::arm(const engine::WakerPtr& w) {
  waiters_.push_back(w);
  start_read();
}

bool InBody::read(std::vector<uint8_t>& out, size_t max, std::string& err) {
  out.clear();
  if (pos_ < data_.size()) {
    const size_t n = std::min(max, data_.size() - pos_);
    out.assign(data_.begin() + static_cast<std::ptrdiff_t>(pos_), data_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    if (pos_ == data_.size()) {
      data_.clear();
      pos_ = 0;
      start_read();  // read ahead one chunk while the guest works on this one
    }
    return true;
  }
  if (error_) {
    err = *error_;
    return false;
  }
  if (done_)
    return false;
  start_read();
  return true;
}

void InBody::discard() {
  discarding_ = true;
  data_.clear();
  pos_ = 0;
  start_read();
}

void InBody::fail(std::string label) {
  if (!finished())
    error_ = std::move(label);
  wake();
}

void InBody::start_read() {
  if (reading_ || finished() || pos_ < data_.size())
    return;
  reading_ = true;
  chunk_.resize(kChunk);
  auto& body = conn_->parser->get().body();
  body.data = chunk_.data();
  body.size = chunk_.size();
  http::async_read_some(conn_->stream, conn_->buffer, *conn_->parser,
                        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
}

void InBody::on_read(beast::error_code ec) {
  reading_ = false;
  auto& p = *conn_->parser;
  const size_t n = chunk_.size() - p.get().body().size;
  if (ec == http::error::need_buffer)
    ec = {};
  if (ec) {
    error_ = ec == http::error::body_limit ? "HTTP-request-body-size" : "connection-terminated";
    conn_->shared.log->info("request body: {} ({})", *error_, ec.message());
    wake();
    return;
  }
  conn_->shared.metrics.bytes_in.fetch_add(n, std::memory_order_relaxed);
  if (!discarding_)
    data_.insert(data_.end(), chunk_.begin(), chunk_.begin() + static_cast<std::ptrdiff_t>(n));
  if (p.is_done()) {
    done_ = true;
    size_t i = 0;
    for (const auto& f : p.get()) {  // Beast appends trailer fields after the head's
      if (i++ >= conn_->head_fields)
        trailers_.entries.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
  } else if (data_.empty()) {
    start_read();  // a chunk header, or everything dropped: keep going
  }
  wake();
}

std::optional<uint64_t> OutWriter::permit() {
  if (closed_ || aborted_ || finished_)
    return std::nullopt;
  return pending_.size() >= kQueueBytes ? 0 : kQueueBytes - pending_.size();
}

void OutWriter::queue(std::string_view bytes) {
  pending_.append(bytes);
  pump();
}

void OutWriter::write(std::span<const uint8_t> data) {
  if (closed_ || data.empty())
    return;
  const auto buf = asio::const_buffer(data.data(), data.size());
  if (chunked_) {
    // Named: buffers_range_ref only refers to the chunk, which must outlive the loop.
    const auto chunk = http::make_chunk(buf);
    for (auto b : beast::buffers_range_ref(chunk))
      pending_.append(static_cast<const char*>(b.data()), b.size());
  } else {
    pending_.append(reinterpret_cast<const char*>(data.data()), data.size());
  }
  pump();
}

void OutWriter::finish(const wasi::p2::FieldList& trailers) {
  if (finished_ || closed_)
    return;
  finished_ = true;
  if (chunked_) {
    http::fields tr;
    for (const auto& [n, v] : trailers.entries)
      tr.insert(n, v);
    const auto last = http::make_chunk_last(tr);
    for (auto b : beast::buffers_range_ref(last))
      pending_.append(static_cast<const char*>(b.data()), b.size());
  }
  pump();
}

void OutWriter::abort() {
  if (finished_ || aborted_)
    return;
  aborted_ = true;
  conn_->shared.log->info("response body incomplete: connection closed");
  close();
}

void OutWriter::close() {
  closed_ = true;
  pending_.clear();
  wake();
  if (!writing_ && on_drained)
    std::exchange(on_drained, nullptr)();
}

void OutWriter::wake() {
  std::vector<engine::WakerPtr> ws;
  ws.swap(waiters_);
  for (const auto& w : ws)
    w->wake();
}

void OutWriter::pump() {
  if (writing_ || pending_.empty() || closed_)
    return;
  writing_ = true;
  inflight_.swap(pending_);
  pending_.clear();
  asio::async_write(conn_->stream, asio::buffer(inflight_),
                    [self = shared_from_this()](beast::error_code ec, size_t n) {
                      self->writing_ = false;
                      self->conn_->shared.metrics.bytes_out.fetch_add(n, std::memory_order_relaxed);
                      self->inflight_.clear();
                      if (ec)
                        self->close();
                      else
                        self->pump();
                      self->wake();
                      if (self->flushed() && self->on_drained)
                        std::exchange(self->on_drained, nullptr)();
                    });
  wake();  // the queue emptied into the write: room for more
}

}  // namespace rill::host
