using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace Wijkmeldingen.Web.Features.Melden;

/// <summary>
/// The text classifier behind the category suggestion on /melden (issue 18): ML.NET's FeaturizeText
/// over the description (lower case, diacritics and numbers dropped, Dutch stop words removed, word
/// uni- and bigrams plus character 4-grams; no Dutch stemmer ships with ML.NET and none is kept here,
/// the character n-grams carry the word forms and typos) into a maximum-entropy classifier (SDCA),
/// whose scores are the class probabilities the threshold is applied to.
/// </summary>
public static class RubriekModel
{
    public sealed class Rij
    {
        public string Tekst { get; set; } = "";
        public string Rubriek { get; set; } = "";
    }

    public sealed class Voorspelling
    {
        [ColumnName("PredictedLabel")]
        public string Rubriek { get; set; } = "";

        public float[] Score { get; set; } = [];
    }

    /// <summary>Trains a model on labelled texts (a fixed seed: the same data gives the same model).</summary>
    public static (MLContext Context, ITransformer Model, DataViewSchema Schema) Train(IEnumerable<Rij> rijen)
    {
        var ml = new MLContext(seed: 18);
        var data = ml.Data.LoadFromEnumerable(rijen);
        var pipeline = ml
            .Transforms.Conversion.MapValueToKey("Label", nameof(Rij.Rubriek))
            .Append(
                ml.Transforms.Text.FeaturizeText(
                    "Features",
                    new TextFeaturizingEstimator.Options
                    {
                        CaseMode = TextNormalizingEstimator.CaseMode.Lower,
                        KeepDiacritics = false,
                        KeepPunctuations = false,
                        KeepNumbers = false,
                        StopWordsRemoverOptions = new StopWordsRemovingEstimator.Options
                        {
                            Language = TextFeaturizingEstimator.Language.Dutch,
                        },
                        WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true },
                        CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 4, UseAllLengths = false },
                        Norm = TextFeaturizingEstimator.NormFunction.L2,
                    },
                    nameof(Rij.Tekst)
                )
            )
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 50))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(data);
        return (ml, model, data.Schema);
    }

    public static byte[] NaarBytes(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(ml);
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        return stream.ToArray();
    }

    public static (MLContext Context, ITransformer Model) UitBytes(byte[] bytes)
    {
        var ml = new MLContext(seed: 18);
        using var stream = new MemoryStream(bytes);
        return (ml, ml.Model.Load(stream, out _));
    }

    /// <summary>The predicted category and its probability.</summary>
    public static (string Rubriek, float Kans) Voorspel(PredictionEngine<Rij, Voorspelling> engine, string tekst)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var v = engine.Predict(new Rij { Tekst = tekst });
        return (v.Rubriek, v.Score.Length == 0 ? 0 : v.Score.Max());
    }
}
