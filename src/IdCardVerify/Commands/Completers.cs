using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Linq;
using IdCardVerify.Verification;

namespace IdCardVerify
{
    /// <summary>Completes -Threshold with the thresholds the vendor quotes a false-accept rate for.</summary>
    public sealed class ThresholdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            foreach (var (value, _, tip) in FalseAcceptRates.Quoted.OrderBy(q => q.Threshold))
            {
                var text = value.ToString(CultureInfo.InvariantCulture);
                if (text.StartsWith(wordToComplete ?? string.Empty, StringComparison.Ordinal))
                {
                    yield return new CompletionResult(text, text, CompletionResultType.ParameterValue, tip);
                }
            }
        }
    }

    /// <summary>Completes -Endpoint with the vendor's endpoint.</summary>
    public sealed class EndpointCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var endpoint = Configuration.DefaultEndpoint.ToString();
            var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            if (endpoint.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            {
                yield return new CompletionResult("'" + endpoint + "'", endpoint, CompletionResultType.ParameterValue, Text.Completer_DefaultEndpoint);
            }
        }
    }
}
