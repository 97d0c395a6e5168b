// _mie: the C++ half of the Python package `mie` (python/mie/__init__.py is the public face).
// Binds the public API of mie/mie.h plus the library's readers and evaluation. Every call that
// runs the model releases the GIL; C++ errors become mie.Error / mie.ParseError / mie.ModelError.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "mie/eval/evaluate.h"
#include "mie/io/conll.h"
#include "mie/io/jsonl.h"
#include "mie/mie.h"

namespace py = pybind11;

namespace {

// A model file that cannot be loaded (raised by load only; other errors keep their own type).
struct ModelError : mie::Error {
  using mie::Error::Error;
};

// An entity as Python sees it: the Entity plus its span's text.
struct PyEntity {
  mie::Entity e;
  std::string text;
};

std::vector<PyEntity> entities_of(const mie::Post& p) {
  std::vector<PyEntity> out;
  out.reserve(p.entities.size());
  for (const auto& e : p.entities) out.push_back({e, mie::span_text(p, e)});
  return out;
}

py::tuple box_tuple(const mie::Box& b) { return py::make_tuple(b.x1, b.y1, b.x2, b.y2); }

// HxWx3 RGB (or HxW gray) uint8 array -> lossless PNG bytes, what the grounder decodes.
mie::ImageRef image_from_array(py::array arr, const std::string& name) {
  auto a = py::array_t<uint8_t, py::array::c_style>::ensure(arr);
  if (!a || arr.dtype().kind() != 'u' || arr.itemsize() != 1)
    throw mie::Error(name + ": an image array must be uint8 (HxWx3 RGB or HxW gray)");
  if (!(a.ndim() == 2 || (a.ndim() == 3 && a.shape(2) == 3)))
    throw mie::Error(name + ": an image array must be HxWx3 (RGB) or HxW (gray), got " + std::to_string(a.ndim()) +
                     " dimensions");
  const int h = static_cast<int>(a.shape(0)), w = static_cast<int>(a.shape(1));
  if (h <= 0 || w <= 0) throw mie::Error(name + ": empty image array");
  std::vector<uint8_t> png;
  {
    py::gil_scoped_release nogil;
    cv::Mat bgr;
    if (a.ndim() == 2) {
      bgr = cv::Mat(h, w, CV_8UC1, const_cast<uint8_t*>(a.data())).clone();
    } else {
      cv::Mat rgb(h, w, CV_8UC3, const_cast<uint8_t*>(a.data()));
      cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    }
    if (!cv::imencode(".png", bgr, png, {cv::IMWRITE_PNG_COMPRESSION, 1}))
      throw mie::Error(name + ": could not encode the image array");
  }
  return mie::image_from_bytes(std::move(png), name);
}

mie::Model load(const std::string& path, const mie::Options& opt) {
  try {
    return mie::Model::load(path, opt);
  } catch (const mie::ParseError&) {
    throw;
  } catch (const mie::Error& e) {
    throw ModelError(e.what());
  }
}

std::vector<mie::Post> read_conll(const std::string& path) {
  mie::io::ConllOptions any_type;  // as `mie predict` reads CoNLL: any tag type, FMNERG's extra column
  any_type.allowed_types.clear();
  any_type.extra_columns = true;
  return mie::io::read_conll(path, any_type);
}

}  // namespace

PYBIND11_MODULE(_mie, m) {
  m.doc() = "C++ core of the mie package (use `import mie`)";
  m.attr("__version__") = mie::kVersion;

  static py::exception<mie::Error> error(m, "Error", PyExc_RuntimeError);
  static py::exception<ModelError> model_error(m, "ModelError", error.ptr());
  static py::exception<mie::ParseError> parse_error(m, "ParseError", error.ptr());
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const mie::ParseError& e) {
      py::object ex = py::reinterpret_borrow<py::object>(parse_error.ptr())(e.what());
      ex.attr("file") = e.file();
      ex.attr("line") = e.line();
      PyErr_SetObject(parse_error.ptr(), ex.ptr());
    } catch (const ModelError& e) {
      PyErr_SetString(model_error.ptr(), e.what());
    } catch (const mie::Error& e) {
      PyErr_SetString(error.ptr(), e.what());
    }
  });

  py::class_<mie::Options>(m, "Options")
      .def(py::init<>())
      .def_readwrite("threads", &mie::Options::threads)
      .def_readwrite("images_dir", &mie::Options::images_dir)
      .def_readwrite("detectors", &mie::Options::detectors)
      .def_readwrite("text_size", &mie::Options::text_size)
      .def_readwrite("face_size", &mie::Options::face_size)
      .def_readwrite("vinvl_dir", &mie::Options::vinvl_dir)
      .def_readwrite("vinvl_top_k", &mie::Options::vinvl_top_k)
      .def_readwrite("relation_threshold", &mie::Options::relation_threshold);

  py::class_<PyEntity>(m, "Entity", "A named entity of a post: span, types, scores, boxes")
      .def_property_readonly("start", [](const PyEntity& x) { return x.e.start; }, "first token")
      .def_property_readonly("end", [](const PyEntity& x) { return x.e.end; }, "one past the last token")
      .def_readonly("text", &PyEntity::text, "the span's tokens joined by spaces")
      .def_property_readonly("type", [](const PyEntity& x) { return x.e.type; }, "coarse type (PER, LOC, ORG, OTHER)")
      .def_property_readonly(
          "fine_type", [](const PyEntity& x) -> py::object {
            if (x.e.fine_type.empty()) return py::none();
            return py::str(x.e.fine_type);
          },
          "fine type (e.g. athlete), None when the model has none")
      .def_property_readonly("score", [](const PyEntity& x) { return x.e.score; }, "entity confidence")
      .def_property_readonly("groundable", [](const PyEntity& x) { return x.e.groundable; }, "visible in the image")
      .def_property_readonly(
          "groundable_score", [](const PyEntity& x) -> py::object {
            if (x.e.groundable_score < 0) return py::none();
            return py::float_(x.e.groundable_score);
          },
          "probability that it is visible; None when not grounded")
      .def_property_readonly(
          "boxes", [](const PyEntity& x) {
            py::list l;
            for (const auto& b : x.e.boxes) l.append(box_tuple(b));
            return l;
          },
          "list of (x1, y1, x2, y2) in image pixels")
      .def("__repr__", [](const PyEntity& x) {
        return "<mie.Entity " + x.text + " " + x.e.type + (x.e.fine_type.empty() ? "" : "/" + x.e.fine_type) + ">";
      });

  py::class_<mie::Relation>(m, "Relation", "A relation between two entities of a post (indices into entities)")
      .def_readonly("head", &mie::Relation::head)
      .def_readonly("tail", &mie::Relation::tail)
      .def_readonly("label", &mie::Relation::label)
      .def_readonly("score", &mie::Relation::score)
      .def("__repr__", [](const mie::Relation& r) {
        return "<mie.Relation " + std::to_string(r.head) + " " + r.label + " " + std::to_string(r.tail) + ">";
      });

  py::class_<mie::ImageRef>(m, "Image", "An image by path, or encoded bytes in memory")
      .def_readonly("path", &mie::ImageRef::path)
      .def_readonly("width", &mie::ImageRef::width)
      .def_readonly("height", &mie::ImageRef::height);

  py::class_<mie::Post>(m, "Post", "A post: text or tokens, an optional image, and what the model found")
      .def(py::init<>())
      .def_readwrite("id", &mie::Post::id)
      .def_readwrite("tokens", &mie::Post::tokens)
      .def_readwrite("text", &mie::Post::text)
      .def_readwrite("caption", &mie::Post::caption)
      .def_readwrite("knowledge", &mie::Post::knowledge)
      .def_readwrite("image", &mie::Post::image)
      .def_property_readonly("entities", &entities_of)
      .def_readonly("relations", &mie::Post::relations)
      .def("to_json", &mie::to_jsonl, "the mie JSONL line (no newline) that `mie predict` writes")
      .def(
          "to_dict", [](const mie::Post& p) { return py::module_::import("json").attr("loads")(mie::to_jsonl(p)); },
          "the JSONL line as a dict")
      .def("__repr__", [](const mie::Post& p) {
        return "<mie.Post " + p.id + ": " + std::to_string(p.entities.size()) + " entities, " +
               std::to_string(p.relations.size()) + " relations>";
      });

  py::class_<mie::Model>(m, "Model")
      .def("predict", py::overload_cast<mie::Post>(&mie::Model::predict, py::const_), py::arg("post"),
           py::call_guard<py::gil_scoped_release>())
      .def(
          "predict_batch",
          [](const mie::Model& model, std::vector<mie::Post> posts) {
            model.predict(posts);
            return posts;
          },
          py::arg("posts"), py::call_guard<py::gil_scoped_release>())
      .def("warm_up", &mie::Model::warm_up, py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("stages", &mie::Model::stages)
      .def_property_readonly("context", &mie::Model::context)
      .def_property_readonly("path", &mie::Model::path)
      .def_property_readonly("options", &mie::Model::options);

  m.def("load", &load, py::arg("path"), py::arg("options"), py::call_guard<py::gil_scoped_release>());
  m.def("make_post", &mie::make_post, py::arg("text"), py::arg("image_path") = "", py::arg("id") = "1");
  m.def("parse_post", &mie::parse_post, py::arg("json"), py::arg("default_id") = "1");
  m.def("tokenize", &mie::tokenize, py::arg("text"));
  m.def(
      "image_from_bytes",
      [](py::bytes b, const std::string& name) {
        const std::string s = b;
        return mie::image_from_bytes(std::vector<uint8_t>(s.begin(), s.end()), name);
      },
      py::arg("data"), py::arg("name") = "the image bytes");
  m.def("image_from_array", &image_from_array, py::arg("array"), py::arg("name") = "array");
  m.def("image_from_path", [](const std::string& path) { return mie::ImageRef{path, 0, 0, nullptr}; }, py::arg("path"));
  m.def("read_conll", &read_conll, py::arg("path"), py::call_guard<py::gil_scoped_release>());
  m.def("read_jsonl", py::overload_cast<const std::string&>(&mie::io::read_jsonl), py::arg("path"),
        py::call_guard<py::gil_scoped_release>());
  m.def(
      "evaluate_json",
      [](const mie::eval::Request& r) {
        py::gil_scoped_release nogil;
        return mie::eval::evaluate_json(r).dump();
      },
      py::arg("request"));
  py::class_<mie::eval::Request>(m, "EvalRequest")
      .def(py::init<>())
      .def_readwrite("task", &mie::eval::Request::task)
      .def_readwrite("gold", &mie::eval::Request::gold)
      .def_readwrite("xml", &mie::eval::Request::xml)
      .def_readwrite("pred", &mie::eval::Request::pred)
      .def_readwrite("regions", &mie::eval::Request::regions)
      .def_readwrite("top_k", &mie::eval::Request::top_k)
      .def_readwrite("bootstrap", &mie::eval::Request::bootstrap)
      .def_readwrite("seed", &mie::eval::Request::seed);
}
