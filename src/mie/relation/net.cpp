#include "mie/relation/net.h"

#include "mie/core/error.h"
#include "mie/relation/image_signals.h"
#include "mie/relation/schema.h"

namespace mie::relation {

namespace nn = torch::nn;

nlohmann::json NetConfig::to_json() const {
  return {{"encoder", encoder}, {"glove_dim", glove_dim}, {"word_dim", word_dim}, {"char_dim", char_dim},
          {"char_filters", char_filters}, {"shape_dim", shape_dim}, {"pos_dim", pos_dim}, {"seg_dim", seg_dim},
          {"hidden", hidden}, {"layers", layers}, {"mlp", mlp}, {"dropout", dropout}, {"labels", labels}};
}

NetConfig NetConfig::from_json(const nlohmann::json& j) {
  NetConfig c;
  try {
    c.encoder = j.at("encoder").get<std::string>();
    c.glove_dim = j.at("glove_dim").get<int>();
    c.word_dim = j.at("word_dim").get<int>();
    c.char_dim = j.at("char_dim").get<int>();
    c.char_filters = j.at("char_filters").get<int>();
    c.shape_dim = j.at("shape_dim").get<int>();
    c.pos_dim = j.at("pos_dim").get<int>();
    c.seg_dim = j.at("seg_dim").get<int>();
    c.hidden = j.at("hidden").get<int>();
    c.layers = j.value("layers", 1);  // absent in models before 2026-12-05
    c.mlp = j.at("mlp").get<int>();
    c.dropout = j.at("dropout").get<float>();
    c.labels = j.at("labels").get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("relation network config: ") + e.what());
  }
  if (c.encoder != "lstm" && c.encoder != "cnn") throw Error("relation network config: unknown encoder " + c.encoder);
  if (c.labels.size() < 2) throw Error("relation network config: fewer than 2 labels");
  if (c.layers < 1 || c.layers > 4) throw Error("relation network config: layers must be 1-4");
  return c;
}

Batch make_batch(const std::vector<const Encoded*>& ex, const std::vector<int64_t>& label_ids) {
  const int64_t B = static_cast<int64_t>(ex.size());
  int64_t T = 1;
  for (auto* e : ex) T = std::max<int64_t>(T, e->length);
  const int64_t F = num_token_feats();
  auto li = torch::TensorOptions().dtype(torch::kInt64);
  auto lf = torch::TensorOptions().dtype(torch::kFloat32);
  Batch b;
  b.words = torch::zeros({B, T}, li);
  b.glove = torch::zeros({B, T}, li);
  b.shapes = torch::zeros({B, T}, li);
  b.chars = torch::zeros({B, T, kMaxChars}, li);
  b.pos_h = torch::full({B, T}, kMaxDist, li);
  b.pos_t = torch::full({B, T}, kMaxDist, li);
  b.seg = torch::zeros({B, T}, li);
  b.feats = torch::zeros({B, T, F}, lf);
  b.mask = torch::zeros({B, T}, torch::kBool);
  b.lengths = torch::zeros({B}, li);
  b.head_marker = torch::zeros({B}, li);
  b.tail_marker = torch::zeros({B}, li);
  b.head_span = torch::zeros({B, T}, torch::kBool);
  b.tail_span = torch::zeros({B, T}, torch::kBool);
  b.image = torch::zeros({B, kImageDim}, lf);
  auto W = b.words.accessor<int64_t, 2>(), G = b.glove.accessor<int64_t, 2>(), S = b.shapes.accessor<int64_t, 2>();
  auto C = b.chars.accessor<int64_t, 3>();
  auto PH = b.pos_h.accessor<int64_t, 2>(), PT = b.pos_t.accessor<int64_t, 2>(), SG = b.seg.accessor<int64_t, 2>();
  auto FT = b.feats.accessor<float, 3>();
  auto M = b.mask.accessor<bool, 2>(), HS = b.head_span.accessor<bool, 2>(), TS = b.tail_span.accessor<bool, 2>();
  auto IM = b.image.accessor<float, 2>();
  for (int64_t i = 0; i < B; ++i) {
    const Encoded& e = *ex[i];
    for (int t = 0; t < e.length; ++t) {
      W[i][t] = e.words[t];
      G[i][t] = e.glove[t];
      S[i][t] = e.shapes[t];
      for (int c = 0; c < kMaxChars; ++c) C[i][t][c] = e.chars[t * kMaxChars + c];
      PH[i][t] = e.pos_head[t];
      PT[i][t] = e.pos_tail[t];
      SG[i][t] = e.seg[t];
      for (int64_t f = 0; f < F; ++f) FT[i][t][f] = e.token_feats[t * F + f];
      M[i][t] = true;
    }
    for (int t = e.head_start; t < e.head_end; ++t) HS[i][t] = true;
    for (int t = e.tail_start; t < e.tail_end; ++t) TS[i][t] = true;
    b.lengths[i] = e.length;
    b.head_marker[i] = e.head_marker;
    b.tail_marker[i] = e.tail_marker;
    for (int d = 0; d < kImageDim; ++d) IM[i][d] = e.image[d];
  }
  if (!label_ids.empty()) b.labels = torch::tensor(label_ids, li);
  return b;
}

RelNetImpl::RelNetImpl(const NetConfig& c, int64_t glove_rows, int64_t word_rows, int64_t shape_rows) : cfg(c) {
  const int64_t L = static_cast<int64_t>(c.labels.size());
  glove = register_buffer("glove", torch::zeros({std::max<int64_t>(glove_rows, 1), std::max(c.glove_dim, 1)}));
  const int wd = c.glove_dim > 0 ? c.glove_dim : c.word_dim;
  word = register_module("word", nn::Embedding(nn::EmbeddingOptions(word_rows, wd).padding_idx(0)));
  chr = register_module("chr", nn::Embedding(nn::EmbeddingOptions(257, c.char_dim).padding_idx(0)));
  char_cnn = register_module("char_cnn", nn::Conv1d(nn::Conv1dOptions(c.char_dim, c.char_filters, 3).padding(1)));
  shape = register_module("shape", nn::Embedding(shape_rows, c.shape_dim));
  pos_h = register_module("pos_h", nn::Embedding(kNumDist, c.pos_dim));
  pos_t = register_module("pos_t", nn::Embedding(kNumDist, c.pos_dim));
  seg = register_module("seg", nn::Embedding(kNumSeg, c.seg_dim));
  const int64_t in = wd + c.char_filters + c.shape_dim + num_token_feats() + 2 * c.pos_dim + c.seg_dim;
  const int64_t H = 2 * c.hidden;  // token state size
  if (c.encoder == "lstm") {
    lstm = register_module("lstm", nn::LSTM(nn::LSTMOptions(in, c.hidden)
                                                .num_layers(c.layers)
                                                .dropout(c.layers > 1 ? c.dropout : 0.0)
                                                .bidirectional(true)
                                                .batch_first(true)));
  } else {
    cnn1 = register_module("cnn1", nn::Conv1d(nn::Conv1dOptions(in, H, 3).padding(1)));
    cnn2 = register_module("cnn2", nn::Conv1d(nn::Conv1dOptions(H, H, 3).padding(1)));
  }
  const int64_t A = 128;
  att_q = register_module("att_q", nn::Linear(4 * H, A));
  att_k = register_module("att_k", nn::Linear(nn::LinearOptions(H, A).bias(false)));
  att_v = register_module("att_v", nn::Linear(nn::LinearOptions(A, 1).bias(false)));
  type_h = register_module("type_h", nn::Linear(2 * H, kNumArgTypes));
  type_t = register_module("type_t", nn::Linear(2 * H, kNumArgTypes));
  hid = register_module("hid", nn::Linear(5 * H + 2 * kNumArgTypes, c.mlp));
  img = register_module("img", nn::Linear(nn::LinearOptions(kImageDim, c.mlp).bias(false)));
  out = register_module("out", nn::Linear(c.mlp, L));
  drop = register_module("drop", nn::Dropout(c.dropout));
  compat = register_parameter("compat", torch::full({1}, 0.5f));
  auto sh = torch::zeros({kNumArgTypes, L}), st = torch::zeros({kNumArgTypes, L});
  for (int64_t l = 0; l < L; ++l) {
    const LabelSignature s = label_signature(c.labels[l]);
    if (s.head >= 0) sh[s.head][l] = 1.f;
    if (s.tail >= 0) st[s.tail][l] = 1.f;
  }
  sig_head = register_buffer("sig_head", sh);
  sig_tail = register_buffer("sig_tail", st);
  {
    torch::NoGradGuard ng;
    img->weight.zero_();  // no image in training data -> the image path stays neutral
    word->weight.normal_(0, c.glove_dim > 0 ? 0.01 : 0.3);  // a small correction to frozen GloVe
    word->weight[0].zero_();
  }
}

NetOutput RelNetImpl::forward(const Batch& b) {
  const int64_t B = b.words.size(0), T = b.words.size(1);
  torch::Tensor w = word->forward(b.words);
  if (cfg.glove_dim > 0) w = w + torch::embedding(glove, b.glove);
  // char CNN: [B*T, C, D] -> conv -> max over chars
  torch::Tensor ch = chr->forward(b.chars.view({B * T, kMaxChars})).transpose(1, 2);
  ch = torch::relu(char_cnn->forward(ch)).amax(2).view({B, T, -1});
  torch::Tensor x = torch::cat({w, ch, shape->forward(b.shapes), b.feats, pos_h->forward(b.pos_h),
                                pos_t->forward(b.pos_t), seg->forward(b.seg)}, 2);
  x = drop->forward(x);
  torch::Tensor h;
  if (cfg.encoder == "lstm") {
    auto packed = nn::utils::rnn::pack_padded_sequence(x, b.lengths, true, false);
    auto res = lstm->forward_with_packed_input(packed);
    h = std::get<0>(nn::utils::rnn::pad_packed_sequence(std::get<0>(res), true, 0.0, T));
  } else {
    auto m = b.mask.unsqueeze(1).to(torch::kFloat32);
    h = torch::relu(cnn1->forward(x.transpose(1, 2))) * m;
    h = torch::relu(cnn2->forward(drop->forward(h))) * m;
    h = h.transpose(1, 2);
  }
  h = drop->forward(h);
  const int64_t H = h.size(2);
  auto gather = [&](const torch::Tensor& idx) { return h.gather(1, idx.view({B, 1, 1}).expand({B, 1, H})).squeeze(1); };
  auto span_max = [&](const torch::Tensor& span) {
    return h.masked_fill(~span.unsqueeze(2), -1e4).amax(1);
  };
  torch::Tensor hr = torch::cat({gather(b.head_marker), span_max(b.head_span)}, 1);
  torch::Tensor tr = torch::cat({gather(b.tail_marker), span_max(b.tail_span)}, 1);
  torch::Tensor q = att_q->forward(torch::cat({hr, tr}, 1)).unsqueeze(1);         // [B,1,A]
  torch::Tensor sc = att_v->forward(torch::tanh(att_k->forward(h) + q)).squeeze(2);  // [B,T]
  sc = sc.masked_fill(~b.mask, -1e9);
  torch::Tensor ctx = (torch::softmax(sc, 1).unsqueeze(2) * h).sum(1);
  NetOutput o;
  o.type_head = type_h->forward(hr);
  o.type_tail = type_t->forward(tr);
  torch::Tensor lph = torch::log_softmax(o.type_head, 1), lpt = torch::log_softmax(o.type_tail, 1);
  torch::Tensor feat = torch::cat({hr, tr, ctx, lph.exp(), lpt.exp()}, 1);
  torch::Tensor z = torch::relu(hid->forward(feat) + img->forward(b.image));
  o.logits = out->forward(drop->forward(z)) + compat * (lph.matmul(sig_head) + lpt.matmul(sig_tail));
  return o;
}

}  // namespace mie::relation
