#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace stock {

struct Item {
    std::string sku;
    int quantity = 0;
    int reorderLevel = 0;
};

class Inventory {
public:
    bool add(const std::string &line) {
        std::istringstream in(line);
        Item item;
        char comma1 = 0, comma2 = 0;
        std::getline(in, item.sku, ',');
        if (!(in >> item.quantity >> comma2 >> item.reorderLevel) || item.sku.empty()) {
            return false;
        }
        (void)comma1;
        items_.push_back(item);
        return true;
    }

    std::string classify(const Item &item) const {
        if (item.quantity == 0) {
            return "out";
        } else if (item.quantity <= item.reorderLevel) {
            return "low";
        } else if (item.quantity > 10 * item.reorderLevel || item.reorderLevel == 0) {
            return "excess";
        }
        return "ok";
    }

    int reorderQuantity(const Item &item, int pending) const;

    std::map<std::string, int> counts() const {
        std::map<std::string, int> result;
        for (const auto &item : items_) {
            result[classify(item)]++;
        }
        return result;
    }

private:
    std::vector<Item> items_;
};

int Inventory::reorderQuantity(const Item &item, int pending) const {
    int shortfall = item.reorderLevel * 2 - item.quantity - pending;
    return shortfall > 0 && item.reorderLevel > 0 ? shortfall : 0;
}

const char *describe(int code) {
    switch (code) {
    case 0:
        return "none";
    case 1:
        return "single";
    default:
        return "many";
    }
}

}  // namespace stock

int main() {
    stock::Inventory inventory;
    std::string line;
    while (std::getline(std::cin, line)) {
        try {
            if (!inventory.add(line)) {
                std::cerr << "skipped: " << line << '\n';
            }
        } catch (const std::exception &e) {
            std::cerr << e.what() << '\n';
        }
    }
    for (const auto &entry : inventory.counts()) {
        std::cout << entry.first << ": " << entry.second << '\n';
    }
    return 0;
}
