// mie/core/section_tensors.h — a torch module's tensors to and from a model file section: the one
// copy of that code the NER, typing and relation stages share (header-only, so that mie_core itself
// stays free of torch; only the torch modules include it).
//
//   mie::save_tensors(*net, section, "net.");                 // parameters (and buffers) as f32
//   mie::load_tensors(*net, section, "net.", "typing");        // throws mie::Error naming the tensor
//
// Names are prefix + the module's own names. `skip` leaves out tensors by their module name (a
// buffer shared by ensemble members, say). Thread safety: the caller owns the module.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "mie/core/error.h"
#include "mie/core/model_file.h"

namespace mie {

struct TensorOptions {
  bool buffers = false;                              // buffers too, not only parameters
  std::function<bool(const std::string&)> skip = {};  // true: leave this tensor out
};

inline void save_tensors(const torch::nn::Module& m, ModelSection& s, const std::string& prefix,
                         const TensorOptions& opt = {}) {
  auto add = [&](const std::string& name, const torch::Tensor& t) {
    if (opt.skip && opt.skip(name)) return;
    const torch::Tensor c = t.detach().to(torch::kFloat32).contiguous();
    s.add_tensor(prefix + name, c.sizes().vec(), std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel()));
  };
  for (const auto& p : m.named_parameters()) add(p.key(), p.value());
  if (opt.buffers)
    for (const auto& b : m.named_buffers()) add(b.key(), b.value());
}

// `what` names the model in errors ("NER", "typing", "relation" or a file name).
inline void load_tensors(torch::nn::Module& m, const ModelSection& s, const std::string& prefix, const std::string& what,
                         const TensorOptions& opt = {}) {
  torch::NoGradGuard ng;
  auto load = [&](const std::string& name, torch::Tensor& t) {
    if (opt.skip && opt.skip(name)) return;
    const TensorData* d = s.find_tensor(prefix + name);
    if (!d) throw Error(what + ": the model lacks tensor '" + prefix + name + "'");
    if (d->shape != t.sizes().vec())
      throw Error(what + ": tensor '" + prefix + name + "' has the wrong shape for the model's configuration");
    t.copy_(torch::from_blob(const_cast<float*>(d->data.data()), d->shape, torch::kFloat32));
  };
  for (auto& p : m.named_parameters()) load(p.key(), p.value());
  if (opt.buffers)
    for (auto& b : m.named_buffers()) load(b.key(), b.value());
}

}  // namespace mie
