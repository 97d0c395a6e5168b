// examples/embed — mie as a library in another program: one post, text + photo -> mie JSONL.
//
//   embed MODEL TEXT [IMAGE]
//   embed models/gmner.mie "Messi scores again for Barcelona" /usr/share/doc/opencv-doc/examples/data/messi5.jpg
#include <mie/mie.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: " << argv[0] << " MODEL TEXT [IMAGE]\n";
    return 1;
  }
  try {
    const mie::Model model = mie::Model::load(argv[1]);              // once; share across threads
    mie::Post post = mie::make_post(argv[2], argc > 3 ? argv[3] : "");  // tokenized like mie predict
    post = model.predict(post);
    for (const mie::Entity& e : post.entities)
      std::cerr << mie::span_text(post, e) << ": " << e.type << (e.boxes.empty() ? "" : ", in the image") << "\n";
    std::cout << mie::to_jsonl(post) << "\n";                         // the line `mie predict` writes
  } catch (const mie::Error& e) {
    std::cerr << "embed: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
