import Glibc
import ModelTraining
import ReviewCorpus
import SentimentModel

/// `value` with exactly `digits` decimals.
func format(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = "\(rounded)"
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    }
    return text
}

let arguments = CommandLine.arguments
let usage = """
    usage: sentiment-benchmark PATH/TO/movie_data.csv.gz
           sentiment-benchmark --resident PATH/TO/MODEL.mcm   (RSS of a process that loaded the model)
           sentiment-benchmark --influence PATH/TO/MODEL.mcm  (how far feedback moves verdicts, per step bound)
           sentiment-benchmark --variants PATH/TO/movie_data.csv.gz (both model variants: accuracy on two splits, speed, size)
           sentiment-benchmark --in-process MODEL LINES (classifying each line in process: the bulk CLI's reference)
    """
do {
    switch arguments.count {
    case 2 where !arguments[1].hasPrefix("-"):
        try Benchmark(dataPath: arguments[1]).run()
    case 3 where arguments[1] == "--resident":
        try ResidentCheck(modelPath: arguments[2]).run()
    case 3 where arguments[1] == "--variants":
        try VariantComparison(dataPath: arguments[2]).run()
    case 4 where arguments[1] == "--in-process":
        try InProcessCost(modelPath: arguments[2], linesPath: arguments[3]).run()
    case 3 where arguments[1] == "--influence":
        try InfluenceExperiment(modelPath: arguments[2]).run()
    default:
        print(usage)
        exit(2)
    }
} catch {
    print("error: \(error)")
    exit(1)
}
